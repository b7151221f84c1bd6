package catalog

import "github.com/secretlint/secretlint/rules"

// Check families, one documentation page each (docs/policy/<family>.md),
// and the family of the inventory checks.
const (
	FamilyDotenv     = "dotenv"
	FamilyTruss      = "truss"
	FamilyMLflow     = "mlflow"
	FamilyDockerfile = "dockerfile"
	FamilyKubernetes = "kubernetes"
	FamilyCI         = "ci"
	FamilyIAM        = "iam"
	FamilyFiles      = "files"
	FamilyInventory  = "inventory"
)

// hygieneFamilies lists the hygiene families in the order of the listings
// and of docs/policy/README.md.
var hygieneFamilies = []string{FamilyDotenv, FamilyTruss, FamilyMLflow, FamilyDockerfile, FamilyKubernetes, FamilyCI, FamilyIAM, FamilyFiles}

func familyOrder(f string) int {
	for i, n := range hygieneFamilies {
		if n == f {
			return i
		}
	}
	return len(hygieneFamilies)
}

// hygiene declares a hygiene check; its page has a heading "## ID (SEVERITY)".
func hygiene(id, family string, sev rules.Severity, description, hint string) Entry {
	return Entry{ID: id, Kind: HygieneCheck, Family: family, Severity: sev, Description: description, Hint: hint,
		Docs: "docs/policy/" + family + ".md#" + anchor(id+" ("+sev.String()+")")}
}

// inventory declares an inventory check; docs/inventory.md lists them in
// its Checks table.
func inventory(id string, sev rules.Severity, description, hint string) Entry {
	return Entry{ID: id, Kind: InventoryCheck, Family: FamilyInventory, Severity: sev, Description: description, Hint: hint,
		Docs: "docs/inventory.md#checks"}
}

// checks are every hygiene and inventory check, in listing order (see
// sortChecks). A new check is one line here plus its code in package
// policy, which panics on an id it does not find here.
var checks = func() []Entry {
	cs := []Entry{
		hygiene("dotenv-not-ignored", FamilyDotenv, rules.High,
			".env file tracked by git or not matched by .gitignore",
			"Add the file to .gitignore (and `git rm --cached` it if tracked), rotate any value it held, and commit a .env.template with placeholders instead."),
		hygiene("dotenv-template-value", FamilyDotenv, rules.High,
			".env template entry holds a value that looks real",
			"Replace the value with an empty string or a placeholder such as <your-token> and rotate the credential if it was real."),
		hygiene("truss-secret-value", FamilyTruss, rules.Critical,
			"Truss config.yaml secrets entry holds a value instead of a null placeholder",
			"Set the entry to null and deliver the value at runtime through TRUSS_SECRET_<name>, a mounted secret or ~/.truss/config.yaml, then rotate it."),
		hygiene("truss-local-config", FamilyTruss, rules.High,
			".truss/config.yaml with local secret values inside the scanned tree",
			"Keep the local Truss config in ~/.truss/config.yaml outside the repository and add .truss/ to .gitignore."),
		hygiene("truss-secret-prefix", FamilyTruss, rules.Medium,
			"Truss secret delivered with the wrong TRUSS_SECRET_ prefix usage",
			"Name environment variables TRUSS_SECRET_<name> and mounted secret files plain <name>, as Truss looks them up."),
		hygiene("mlflow-static-aws-keys", FamilyMLflow, rules.High,
			"mlflow-secrets-auth enabled with static AWS access keys",
			"Drop AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and give the workload an IAM role (instance profile, task role, IRSA) instead."),
		hygiene("mlflow-allowed-hosts", FamilyMLflow, rules.High,
			"mlflow-secrets-auth enabled without a host allow-list",
			"Set MLFLOW_SECRETS_ALLOWED_HOSTS to the exact tracking server host names so the credential is sent nowhere else."),
		hygiene("mlflow-ttl", FamilyMLflow, rules.Medium,
			"mlflow-secrets-auth cache TTL outside sane bounds",
			"Set the TTL to a whole number of seconds between 1 and the policy maximum (default 3600)."),
		hygiene("dockerfile-secret-env", FamilyDockerfile, rules.High,
			"Dockerfile ENV/ARG carries a secret into the image or its history",
			"Pass the secret at build time with `RUN --mount=type=secret,id=<name>` and at runtime from the orchestrator, never through ENV or ARG."),
		hygiene("dockerfile-copy-credentials", FamilyDockerfile, rules.High,
			"Dockerfile COPY/ADD brings credential files into the image",
			"Copy only the files the image needs and list .env, .aws/, .truss/, keys and package-manager credentials in .dockerignore."),
		hygiene("k8s-secret-as-env", FamilyKubernetes, rules.Medium,
			"container takes a Secret through environment variables",
			"Mount the Secret as a read-only volume (defaultMode 0400) and read the value from the file."),
		hygiene("k8s-secret-file-mode", FamilyKubernetes, rules.Medium,
			"Secret volume file mode wider than 0440",
			"Set defaultMode (and item modes) to 0400 or 0440 in octal: `defaultMode: 0400` in YAML, 256 in JSON."),
		hygiene("k8s-plaintext-secret", FamilyKubernetes, rules.High,
			"committed Kubernetes Secret holds real values",
			"Remove the values from the manifest, rotate them, and deliver them with a secret manager operator (External Secrets, Sealed Secrets, CSI driver)."),
		hygiene("k8s-sa-token-automount", FamilyKubernetes, rules.Info,
			"workload mounts a service-account token that can read Secrets, or asks for a token explicitly",
			"Set `automountServiceAccountToken: false` on the pod spec or its ServiceAccount unless the workload calls the Kubernetes API, and limit its role to the Secrets it needs with resourceNames."),
		hygiene("ci-secret-echo", FamilyCI, rules.High,
			"CI step prints a secret to the job log",
			"Do not echo secrets, `set -x` or dump the environment while secrets are in scope; pipe values straight into the consuming command."),
		hygiene("ci-secret-argv", FamilyCI, rules.Medium,
			"CI step passes a secret as a command-line argument",
			"Hand the secret to the command through an environment variable, stdin (--password-stdin) or a file instead of its arguments."),
		hygiene("ci-secrets-inherit", FamilyCI, rules.Medium,
			"CI exposes the whole secrets context",
			"Pass only the named secrets the called workflow or step needs instead of `secrets: inherit` or toJSON(secrets)."),
		hygiene("iam-wildcard-secret-access", FamilyIAM, rules.High,
			"IAM policy grants secret reads on every resource or all actions",
			"Scope secret-read actions to the exact secret, parameter and key ARNs the workload needs, and list actions instead of wildcards."),
		hygiene("iam-secret-arn-prefix-wildcard", FamilyIAM, rules.Medium,
			"Secrets Manager ARN wildcard also matches other secrets with the same name prefix",
			"End the ARN with the secret name plus `-??????` (the random suffix) instead of a bare `*`."),
		hygiene("iam-assume-role-no-external-id", FamilyIAM, rules.High,
			"trust policy lets another account assume the role without an external ID",
			"Add a `StringEquals` condition on `sts:ExternalId` with a value agreed with the other account."),
		hygiene("iam-principal-wildcard", FamilyIAM, rules.Critical,
			"policy allows any principal (`*`) without a condition",
			"Name the allowed principals, or add conditions (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn) that restrict who matches `*`."),
		hygiene("secret-file-permissions", FamilyFiles, rules.High,
			"key or credentials file readable by group or others",
			"Run `chmod 600` on the file, keep it out of the repository, and rotate the key if it was shared."),
		inventory("inventory-rotation-overdue", rules.High,
			"secret is past its rotation date",
			"Rotate the secret now, update its consumers, and set last_rotated to the rotation date."),
		inventory("inventory-rotation-due", rules.Low,
			"secret is due for rotation soon",
			"Schedule the rotation before the due date and set last_rotated when done."),
		inventory("inventory-missing-owner", rules.Medium,
			"secret has no owner",
			"Set owner to the team or on-call address that rotates and revokes this secret."),
		inventory("inventory-missing-rotation", rules.Medium,
			"secret has no rotation interval or last rotation date",
			"Set rotation_days and last_rotated (a TOML date such as 2026-08-01)."),
		inventory("inventory-wildcard-scope", rules.High,
			"secret grants wildcard permissions",
			"List the exact actions the consumers need in scope instead of a wildcard."),
		inventory("inventory-shared-across-envs", rules.High,
			"one secret value serves several environments",
			"Issue a separate secret per environment, each with its own scope and inventory entry."),
		inventory("inventory-env-delivery-in-prod", rules.High,
			"secret reaches a production workload through an environment variable",
			"Deliver it as a read-only file (mode 0400), through a sidecar or with workload identity instead."),
		inventory("inventory-delivery-not-allowed", rules.Medium,
			"secret delivery is not allowed in its environment",
			"Switch to a delivery the policy allows for that environment, or change allowed_delivery in the policy."),
		inventory("inventory-ttl-too-long", rules.Medium,
			"short-lived credential lives longer than the policy allows",
			"Lower the credential's TTL at its issuer to the policy's max_ttl or less and update ttl."),
		inventory("inventory-write-scope", rules.High,
			"a consumer not named as a writer has write access",
			"Give that consumer read access, or add it to writers in the policy if it must write."),
		inventory("inventory-missing-entry", rules.Medium,
			"project uses a secret the inventory does not list",
			"Add a [[secret]] entry for it (or an alias to the existing entry); `secretlint inventory init` drafts one."),
		inventory("inventory-unused", rules.Low,
			"inventory entry that nothing in the project references",
			"Revoke and delete the secret if it is no longer used, or add the name the project uses to aliases."),
		inventory("inventory-scope-exceeded", rules.High,
			"IAM policy grants more than the inventory entry's scope",
			"Narrow the IAM statement to the entry's exact ARN and scope actions, or widen the entry's scope if the access is intended."),
	}
	sortChecks(cs)
	return cs
}()
