package policy

import (
	"sort"
	"strings"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// Check describes one hygiene check. Its ID is the rule_id of the findings
// it reports and is part of the public interface.
type Check struct {
	ID       string
	Family   string
	Severity rules.Severity
	// Description is the one-line summary shown in reports and --list.
	Description string
	// Hint is the one-sentence fix attached to every finding.
	Hint string
}

// Check families, one documentation page each (docs/policy/<family>.md).
const (
	FamilyDotenv     = "dotenv"
	FamilyTruss      = "truss"
	FamilyMLflow     = "mlflow"
	FamilyDockerfile = "dockerfile"
	FamilyKubernetes = "kubernetes"
	FamilyCI         = "ci"
	FamilyIAM        = "iam"
	FamilyFiles      = "files"
)

var checks = []Check{
	{"dotenv-not-ignored", FamilyDotenv, rules.High,
		".env file tracked by git or not matched by .gitignore",
		"Add the file to .gitignore (and `git rm --cached` it if tracked), rotate any value it held, and commit a .env.template with placeholders instead."},
	{"dotenv-template-value", FamilyDotenv, rules.High,
		".env template entry holds a value that looks real",
		"Replace the value with an empty string or a placeholder such as <your-token> and rotate the credential if it was real."},
	{"truss-secret-value", FamilyTruss, rules.Critical,
		"Truss config.yaml secrets entry holds a value instead of a null placeholder",
		"Set the entry to null and deliver the value at runtime through TRUSS_SECRET_<name>, a mounted secret or ~/.truss/config.yaml, then rotate it."},
	{"truss-local-config", FamilyTruss, rules.High,
		".truss/config.yaml with local secret values inside the scanned tree",
		"Keep the local Truss config in ~/.truss/config.yaml outside the repository and add .truss/ to .gitignore."},
	{"truss-secret-prefix", FamilyTruss, rules.Medium,
		"Truss secret delivered with the wrong TRUSS_SECRET_ prefix usage",
		"Name environment variables TRUSS_SECRET_<name> and mounted secret files plain <name>, as Truss looks them up."},
	{"mlflow-static-aws-keys", FamilyMLflow, rules.High,
		"mlflow-secrets-auth enabled with static AWS access keys",
		"Drop AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and give the workload an IAM role (instance profile, task role, IRSA) instead."},
	{"mlflow-allowed-hosts", FamilyMLflow, rules.High,
		"mlflow-secrets-auth enabled without a host allow-list",
		"Set MLFLOW_SECRETS_ALLOWED_HOSTS to the exact tracking server host names so the credential is sent nowhere else."},
	{"mlflow-ttl", FamilyMLflow, rules.Medium,
		"mlflow-secrets-auth cache TTL outside sane bounds",
		"Set the TTL to a whole number of seconds between 1 and the policy maximum (default 3600)."},
	{"dockerfile-secret-env", FamilyDockerfile, rules.High,
		"Dockerfile ENV/ARG carries a secret into the image or its history",
		"Pass the secret at build time with `RUN --mount=type=secret,id=<name>` and at runtime from the orchestrator, never through ENV or ARG."},
	{"dockerfile-copy-credentials", FamilyDockerfile, rules.High,
		"Dockerfile COPY/ADD brings credential files into the image",
		"Copy only the files the image needs and list .env, .aws/, .truss/, keys and package-manager credentials in .dockerignore."},
	{"k8s-secret-as-env", FamilyKubernetes, rules.Medium,
		"container takes a Secret through environment variables",
		"Mount the Secret as a read-only volume (defaultMode 0400) and read the value from the file."},
	{"k8s-secret-file-mode", FamilyKubernetes, rules.Medium,
		"Secret volume file mode wider than 0440",
		"Set defaultMode (and item modes) to 0400 or 0440 in octal: `defaultMode: 0400` in YAML, 256 in JSON."},
	{"k8s-plaintext-secret", FamilyKubernetes, rules.High,
		"committed Kubernetes Secret holds real values",
		"Remove the values from the manifest, rotate them, and deliver them with a secret manager operator (External Secrets, Sealed Secrets, CSI driver)."},
	{"k8s-sa-token-automount", FamilyKubernetes, rules.Low,
		"workload mounts a service-account token it may not need",
		"Set `automountServiceAccountToken: false` on the pod spec or its ServiceAccount unless the workload calls the Kubernetes API."},
	{"ci-secret-echo", FamilyCI, rules.High,
		"CI step prints a secret to the job log",
		"Do not echo secrets, `set -x` or dump the environment while secrets are in scope; pipe values straight into the consuming command."},
	{"ci-secret-argv", FamilyCI, rules.Medium,
		"CI step passes a secret as a command-line argument",
		"Hand the secret to the command through an environment variable, stdin (--password-stdin) or a file instead of its arguments."},
	{"ci-secrets-inherit", FamilyCI, rules.Medium,
		"CI exposes the whole secrets context",
		"Pass only the named secrets the called workflow or step needs instead of `secrets: inherit` or toJSON(secrets)."},
	{"iam-wildcard-secret-access", FamilyIAM, rules.High,
		"IAM policy grants secret reads on every resource or all actions",
		"Scope secret-read actions to the exact secret, parameter and key ARNs the workload needs, and list actions instead of wildcards."},
	{"iam-secret-arn-prefix-wildcard", FamilyIAM, rules.Medium,
		"Secrets Manager ARN wildcard also matches other secrets with the same name prefix",
		"End the ARN with the secret name plus `-??????` (the random suffix) instead of a bare `*`."},
	{"iam-assume-role-no-external-id", FamilyIAM, rules.High,
		"trust policy lets another account assume the role without an external ID",
		"Add a `StringEquals` condition on `sts:ExternalId` with a value agreed with the other account."},
	{"iam-principal-wildcard", FamilyIAM, rules.Critical,
		"policy allows any principal (`*`) without a condition",
		"Name the allowed principals, or add conditions (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn) that restrict who matches `*`."},
	{"secret-file-permissions", FamilyFiles, rules.High,
		"key or credentials file readable by group or others",
		"Run `chmod 600` on the file, keep it out of the repository, and rotate the key if it was shared."},
}

var byID = func() map[string]*Check {
	m := make(map[string]*Check, len(checks))
	for i := range checks {
		m[checks[i].ID] = &checks[i]
	}
	return m
}()

// Checks returns every hygiene check, sorted by family and id.
func Checks() []Check {
	out := append([]Check(nil), checks...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Family != out[j].Family {
			return familyOrder(out[i].Family) < familyOrder(out[j].Family)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Lookup returns the check with the id, or nil.
func Lookup(id string) *Check {
	if c, ok := byID[id]; ok {
		cp := *c
		return &cp
	}
	return nil
}

func familyOrder(f string) int {
	for i, n := range []string{FamilyDotenv, FamilyTruss, FamilyMLflow, FamilyDockerfile, FamilyKubernetes, FamilyCI, FamilyIAM, FamilyFiles} {
		if n == f {
			return i
		}
	}
	return 99
}

// report collects one file's findings and skips.
type report struct {
	path     string
	findings []scan.Finding
	skips    []string
	disabled map[string]bool
	lines    lineIndex // of data, for inline allow markers
	data     []byte
	// quietSA names the file's ServiceAccounts that mount no token.
	quietSA map[string]bool
	// key keys the fingerprints of findings that hold a secret.
	key *fingerprint.Key
}

// allowed reports whether an allow marker (scan.AllowMarkers) suppresses a
// finding on line: one on the line itself, or on the line before when it
// stands in a comment line of its own (Dockerfile instructions cannot carry
// trailing comments).
func (r *report) allowed(line int) bool {
	if r.data == nil {
		return false
	}
	if r.lines == nil {
		r.lines = newLines(r.data)
	}
	text := func(l int) string {
		if l < 1 || l > len(r.lines) {
			return ""
		}
		start := r.lines[l-1]
		end := len(r.data)
		if l < len(r.lines) {
			end = r.lines[l] - 1
		}
		return string(r.data[start:end])
	}
	has := func(s string) bool { return scan.HasAllowMarker([]byte(s)) }
	if has(text(line)) {
		return true
	}
	prev := strings.TrimSpace(text(line - 1))
	return strings.HasPrefix(prev, "#") && has(prev)
}

// add records a finding. subject identifies what is wrong (a key, a
// container, a statement) so the fingerprint survives line moves; secret is
// the offending value when the finding exposes one (reports redact it).
func (r *report) add(id string, line, col int, subject, secret, msg string) {
	c := byID[id]
	if c == nil {
		panic("policy: unknown check " + id)
	}
	if r.disabled[id] {
		return
	}
	if line < 1 {
		line = 1
	}
	if r.allowed(line) {
		return
	}
	if col < 1 {
		col = 1
	}
	// A finding without a secret is named by its subject (a variable or
	// resource name, not a value), so its fingerprint needs no key.
	fp := r.key.Fingerprint(id, r.path, secret)
	if secret == "" {
		fp = scan.Fingerprint(id, r.path, subject)
	}
	r.findings = append(r.findings, scan.Finding{
		RuleID:      id,
		Description: c.Description,
		Severity:    c.Severity,
		Source:      scan.SourcePolicy,
		Location:    scan.Location{Path: r.path, Line: line, Column: col, EndLine: line, EndColumn: col},
		Secret:      secret,
		Fingerprint: fp,
		SecretHash:  r.key.SecretHash(secret),
		Hint:        c.Hint,
		Message:     msg,
	})
}

func (r *report) skip(reason string) { r.skips = append(r.skips, reason) }
