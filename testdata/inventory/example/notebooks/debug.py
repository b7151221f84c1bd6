# A debugging cell someone committed: the training bucket key, pasted inline.
# (Made-up, format-valid value for the example; it matches the fingerprint of
# training-bucket-key in secrets.toml.)
import boto3

s3 = boto3.client("s3", aws_access_key_id="AKIAQX7NZ4KD2WBMR5TY")
