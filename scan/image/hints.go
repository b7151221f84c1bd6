package image

import (
	"fmt"
	"path"
	"strings"

	"github.com/secretlint/secretlint/catalog"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// Rule ids of the image policy hints.
const (
	// RuleCredentialsFile flags a credentials file in any layer.
	RuleCredentialsFile = "image-credentials-file"
	// RuleSecretFileWorldReadable flags a file holding a secret that every
	// user in the final filesystem can read.
	RuleSecretFileWorldReadable = "image-secret-file-world-readable"
)

// credentialSuffixes are in-image paths (matched on whole trailing path
// elements) of files that hold credentials by convention.
var credentialSuffixes = []string{
	".aws/credentials",
	".truss/config.yaml",
	".docker/config.json",
	".npmrc",
	".pypirc",
	".netrc",
	".git-credentials",
	".pgpass",
	".kube/config",
	"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
}

// isCredentialsFile reports whether an in-image path (no leading slash)
// names a credentials file: a dotenv file (.env, .env.production; not
// .env.example and its kin) or one of credentialSuffixes.
func isCredentialsFile(p string) bool {
	base := path.Base(p)
	if base == ".env" {
		return true
	}
	if strings.HasPrefix(base, ".env.") {
		return !scan.IsDotenvTemplate(base)
	}
	for _, s := range credentialSuffixes {
		if p == s || strings.HasSuffix(p, "/"+s) {
			return true
		}
	}
	return false
}

// credentialsHint is the finding for a credentials file in a layer.
func credentialsHint(o *scan.Origin) scan.Finding {
	msg := fmt.Sprintf("credentials file %s is in layer %d", o.Path, *o.LayerIndex)
	if o.Deleted {
		msg += fmt.Sprintf("; a later layer (%s) hides it, but anyone who pulls the image can still extract it", o.DeletedBy)
	}
	f := scan.Finding{
		RuleID:      RuleCredentialsFile,
		Description: "Credentials file baked into an image layer",
		Severity:    rules.High,
		Hint:        "keep the file out of the build context (.dockerignore) and pass credentials at build time with RUN --mount=type=secret or at run time from a secret store; rotate what the file held",
		Message:     msg,
	}
	f.ApplyOrigin(o)
	f.Line = 0
	f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, "")
	return f
}

// worldReadableHint is the finding for a file that holds a secret, is
// present in the final filesystem and is readable by any user.
func worldReadableHint(o *scan.Origin, mode int64) scan.Finding {
	f := scan.Finding{
		RuleID:      RuleSecretFileWorldReadable,
		Description: "File holding a secret is readable by every user in the image",
		Severity:    rules.Medium,
		Hint:        "do not ship the secret in the image; if a file must hold it, mount it at run time with mode 0400 owned by the service user",
		Message:     fmt.Sprintf("%s has mode %04o in the final filesystem (readable by others)", o.Path, mode&0o7777),
	}
	f.ApplyOrigin(o)
	f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, "")
	return f
}

// permissionsHint is the secret-file-permissions finding for a key file in
// the final filesystem that group or others can read: the hygiene check's
// own id, metadata and fingerprint subject, so a baseline entry and
// [severity] name it the same way for directories and images.
func permissionsHint(o *scan.Origin, msg string) scan.Finding {
	c, _ := catalog.Check("secret-file-permissions")
	f := scan.Finding{
		RuleID:      c.ID,
		Description: c.Description,
		Severity:    c.Severity,
		Hint:        c.Hint,
		Message:     msg + " in the final filesystem",
	}
	f.ApplyOrigin(o)
	f.Line = 0
	f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, "mode")
	return f
}
