twilio_api_key_sid = "SKfe5589039c483bbf46d38d744e0871f2"  # secretlint:want twilio-api-key
twilio_api_key_sid = "SKf12357fdb8b753e66d78"  # secretlint:nowant twilio-api-key
TWILIO_AUTH_TOKEN = "73298f27eb9407a9700f891f06bb3f1c"  # secretlint:want twilio-auth-token
TWILIO_AUTH_TOKEN = "your_auth_token"  # secretlint:nowant twilio-auth-token
SENDGRID_API_KEY = "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"  # secretlint:want sendgrid-api-key
SENDGRID_API_KEY = "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"  # secretlint:nowant sendgrid-api-key
MAILGUN_KEY = "key-6f2b810cf8791f108a6ec1603a56b935"  # secretlint:want mailgun-api-key
MAILGUN_KEY = "key-86c8118998188a40"  # secretlint:nowant mailgun-api-key
MAILCHIMP_KEY = "c8eda14e51ed4f437d2561be4c66c605-us21"  # secretlint:want mailchimp-api-key
MAILCHIMP_KEY = "<mailchimp-key>-us21"  # secretlint:nowant mailchimp-api-key
DISCORD_BOT_TOKEN = "Mzk0NzEzNDkwOTg3Njg1NDY3.ngwV2_.gPWeEqh5d-KBROaezHtPVuG3Ug9L1Rsajn-kFb"  # secretlint:want discord-bot-token
discord_client.run("MWFiY2RlZmdoaWprbG1ub3Bx.t3e03b.abcabcabcabcabcabcabcabcabcabc")  # secretlint:nowant discord-bot-token
DISCORD_WEBHOOK = "https://discord.com/api/webhooks/9319466513916407297/mkQoFa5gf_f5DbkXVuMxpDFCd-dnps3JnyF1k7QTru6vGti3jVxxMn1gWHkFW73ktx7w"  # secretlint:want discord-webhook
DISCORD_WEBHOOK = "https://discord.com/api/webhooks/<id>/<token>"  # secretlint:nowant discord-webhook
TELEGRAM_BOT_TOKEN = "6954303219:AAG9k8zppneZEhAzCTM-5_PUIGjmRqq_3v4"  # secretlint:want telegram-bot-token
TELEGRAM_BOT_TOKEN = "123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"  # secretlint:nowant telegram-bot-token
