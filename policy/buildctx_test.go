package policy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// privateKeyPEM returns a freshly generated key, so no key is committed.
func privateKeyPEM(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

const certOnly = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

func copyFindings(t *testing.T, files map[string]string) []string {
	t.Helper()
	var out []string
	for _, f := range runTree(t, writeTree(t, files)) {
		if f.RuleID == "dockerfile-copy-credentials" {
			out = append(out, f.Path+":"+strconv.Itoa(f.Line)+" "+f.Severity.String()+" "+f.Message)
		}
	}
	return out
}

func TestDockerfileContextCredentials(t *testing.T) {
	key := privateKeyPEM(t)
	const dockerfile = "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{{
		name:  "no credentials in the context",
		files: map[string]string{"Dockerfile": dockerfile, "app.py": "print(1)\n", "ca.pem": certOnly, ".env.example": "TOKEN=\n"},
	}, {
		name:  "a .env and a key file in the context",
		files: map[string]string{"Dockerfile": dockerfile, "app.py": "x\n", ".env": "TOKEN=x\n", "deploy/server.key": key, "ca.pem": certOnly},
		want: []string{"Dockerfile:3 high COPY . copies the build context . (the Dockerfile's directory: no compose, Makefile, CI, skaffold or bake file in the tree builds it elsewhere), " +
			"which holds 2 credential files: .env, deploy/server.key (no .dockerignore excludes them)"},
	}, {
		name:  "more files than are named",
		files: map[string]string{"Dockerfile": dockerfile, ".env": "A=1\n", ".env.local": "A=2\n", "id_rsa": key, ".aws/credentials": "[default]\n", ".npmrc": "x\n"},
		want: []string{"Dockerfile:3 high COPY . copies the build context . (the Dockerfile's directory: no compose, Makefile, CI, skaffold or bake file in the tree builds it elsewhere), " +
			"which holds 5 credential files: .aws/credentials, .env, .env.local and 2 more (no .dockerignore excludes them)"},
	}, {
		name:  ".dockerignore excludes them",
		files: map[string]string{"Dockerfile": dockerfile, ".env": "TOKEN=x\n", "deploy/server.key": key, ".dockerignore": ".env\n**/*.key\n"},
	}, {
		name:  "a Dockerfile's own ignore file wins",
		files: map[string]string{"Dockerfile": dockerfile, ".env": "TOKEN=x\n", "Dockerfile.dockerignore": ".env\n", ".dockerignore": "nothing\n"},
	}, {
		name: "negated patterns",
		files: map[string]string{"Dockerfile": dockerfile, "certs/a.key": key, "certs/b.key": key, "secrets/prod/.env": "A=1\n", "secrets/keep.txt": "x\n",
			".dockerignore": "# keys stay out, but one is wanted\n**/*.key\n!certs/b.key\nsecrets\n!secrets/keep.txt\n"},
		want: []string{"Dockerfile:3 high COPY . copies the build context . (the Dockerfile's directory: no compose, Makefile, CI, skaffold or bake file in the tree builds it elsewhere), " +
			"which holds 1 credential file: certs/b.key (.dockerignore does not exclude them)"},
	}, {
		name: "the context from a compose file",
		files: map[string]string{"svc/Dockerfile": dockerfile, "svc/main.go": "package main\n", ".env": "TOKEN=x\n",
			"docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: svc/Dockerfile\n"},
		want: []string{"svc/Dockerfile:3 high COPY . copies the build context . (built by docker-compose.yml:3), which holds 1 credential file: .env (no .dockerignore excludes them)"},
	}, {
		name: "the context from a docker build line",
		files: map[string]string{"svc/Dockerfile": dockerfile, "svc/main.go": "package main\n", "id_ed25519": key,
			"Makefile": "image:\n\t@docker build \\\n\t\t-t api:dev --build-arg V=1 \\\n\t\t-f svc/Dockerfile .\n"},
		want: []string{"svc/Dockerfile:3 high COPY . copies the build context . (built by Makefile:2), which holds 1 credential file: id_ed25519 (no .dockerignore excludes them)"},
	}, {
		name: "a docker build line whose context is a variable",
		files: map[string]string{"svc/Dockerfile": dockerfile, "svc/.env": "TOKEN=x\n",
			"build.sh": "#!/bin/sh\ndocker buildx build -f svc/Dockerfile \"$CTX\"\n"},
		want: []string{"svc/Dockerfile:3 medium COPY . copies a build context that is not known (build.sh:2 names it with a variable); the Dockerfile's directory svc holds 1 credential file: .env (no .dockerignore excludes them)"},
	}, {
		name: "the context from a bake file",
		files: map[string]string{"svc/Dockerfile": dockerfile, ".npmrc": "//registry.npmjs.org/:_authToken=x\n",
			"docker-bake.hcl": "group \"default\" {\n  targets = [\"api\"]\n}\n\ntarget \"api\" {\n  context = \".\"\n  dockerfile = \"svc/Dockerfile\"\n}\n"},
		want: []string{"svc/Dockerfile:3 high COPY . copies the build context . (built by docker-bake.hcl:5), which holds 1 credential file: .npmrc (no .dockerignore excludes them)"},
	}, {
		name: "the context from skaffold and from a build-push-action step",
		files: map[string]string{"svc/Dockerfile": dockerfile, "svc/.env": "A=1\n", "job/Dockerfile": dockerfile, ".env": "A=1\n",
			"skaffold.yaml":               "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: api\n      context: svc\n",
			".github/workflows/image.yml": "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: job/Dockerfile\n"},
		want: []string{
			"job/Dockerfile:3 high COPY . copies the build context . (built by .github/workflows/image.yml:6), which holds 2 credential files: .env, svc/.env (no .dockerignore excludes them)",
			"svc/Dockerfile:3 high COPY . copies the build context svc (built by skaffold.yaml:5), which holds 1 credential file: .env (no .dockerignore excludes them)",
		},
	}, {
		name: "the compose context has none, the Dockerfile's directory has one",
		files: map[string]string{"svc/Dockerfile": dockerfile, "svc/.env": "TOKEN=x\n", "app/main.go": "package main\n",
			"compose.yaml": "services:\n  api:\n    build: {context: app, dockerfile: ../svc/Dockerfile}\n"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, copyFindings(t, tc.files)); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
		})
	}
}
