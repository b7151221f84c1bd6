package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const dir = "../testdata/inventory/load"

func TestLoadValid(t *testing.T) {
	inv, err := Load(filepath.Join(dir, "valid.toml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{
		Name:         "mlflow-tracking-token",
		Owner:        "ml-platform@example.com",
		Store:        "aws-secrets-manager",
		Location:     "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/mlflow/tracking-token-Ab12Cd",
		Aliases:      []string{"MLFLOW_TRACKING_TOKEN"},
		Environments: []string{"production"},
		Delivery:     "file",
		RotationDays: 30,
		LastRotated:  time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC),
		TTL:          7 * 24 * time.Hour,
		Scope:        []string{"secretsmanager:GetSecretValue"},
		Consumers:    []Consumer{{"serving", "read"}, {"ci-publish", "write"}},
		Fingerprint:  Fingerprint([]byte("test")),
		Line:         3,
	}, {
		Name:      "wandb-api-key",
		Consumers: []Consumer{{"training", "read"}},
		Line:      22,
	}, {
		Name: `quoted "multi"`,
		TTL:  15 * time.Minute,
		Line: 28,
	}}
	if d := cmp.Diff(want, inv.Entries); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	if e := inv.ByFingerprint(Fingerprint([]byte("test"))); e == nil || e.Name != "mlflow-tracking-token" {
		t.Errorf("ByFingerprint = %v", e)
	}
	if e := inv.ByFingerprint(strings.TrimPrefix(Fingerprint([]byte("test")), "sha256:")); e == nil {
		t.Errorf("ByFingerprint without prefix found nothing")
	}
	if e := inv.ByFingerprint(Fingerprint([]byte("other"))); e != nil {
		t.Errorf("ByFingerprint(other) = %s", e.Name)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		file string
		// want lists "line: substring of the message; substring of the fix".
		want []string
	}{
		{"bad-date.toml", []string{`7: secret "b": last_rotated "2026-13-45" is not a date; fix: write an unquoted TOML date`}},
		{"quoted-date.toml", []string{`3: secret "a": last_rotated is a quoted string, not a date; fix: remove the quotes`}},
		{"syntax-date.toml", []string{`3: invalid TOML:; fix: write dates unquoted as YYYY-MM-DD`}},
		{"duplicate.toml", []string{`5: duplicate secret alias "HF_TOKEN": already used by secret "hf-token" at line 1; fix: give each secret one [[secret]] table`}},
		{"unknown-key.toml", []string{`3: unknown key "secret.rotaton_days" in a [[secret]] table; fix: did you mean "rotation_days"?`}},
		{"unknown-table.toml", []string{`1: unknown key "secrets" at the top level; fix: did you mean "secret"?`}},
		{"fingerprint.toml", []string{
			`3: secret "short": fingerprint must be sha256: followed by 64 hex digits (it has 6 characters after the prefix); fix: run ` + "`secretlint inventory fingerprint -`",
			`7: secret "bare": fingerprint lacks the sha256: prefix; fix: prefix it with sha256:`,
			`11: secret "pasted": fingerprint is not sha256: followed by 64 hex digits (value not shown); fix: run`,
		}},
		{"types.toml", []string{
			`3: secret "a": environments must be a list of strings, not a single string; fix: write a list: environments = ["…"]`,
			`4: secret "a": rotation_days must be a positive number of days; fix: write a whole number`,
			`5: secret "a": ttl "forever" is not a positive duration; fix: write a duration`,
			`6: secret "a": unknown delivery "carrier-pigeon"; fix: use one of identity, file, sidecar, env, ci-masked`,
			`7: secret "a": unknown store "shoebox"; fix: use one of aws-secrets-manager`,
			`8: secret "a": unknown consumer key "role"; fix: a consumer has name and access only`,
			`8: secret "a": consumer "serving" has access "admin"; fix: access is "read" or "write"`,
		}},
		{"no-name.toml", []string{`1: secret #1 has no name; fix: add name = "…"`}},
		{"wrong-type.toml", []string{`3: secret "a": owner must be a string, not integer; fix: quote it: owner = "…"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			_, err := Load(path)
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("Load: want *Error, got %v", err)
			}
			if len(ie.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ie.Problems), len(tt.want), err)
			}
			for i, w := range tt.want {
				line, rest, _ := strings.Cut(w, ": ")
				msg, fix, _ := strings.Cut(rest, "; fix: ")
				p := ie.Problems[i]
				if p.Path != path || line != strconv.Itoa(p.Line) || !strings.Contains(p.Msg, msg) || !strings.Contains(p.Fix, fix) {
					t.Errorf("problem %d = %q\nwant line %s, message containing %q, fix containing %q", i, p.Error(), line, msg, fix)
				}
				if !strings.HasPrefix(p.Error(), path+":"+line+": ") {
					t.Errorf("problem %d does not start with file:line: %q", i, p.Error())
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error echoes a pasted value: %v", err)
			}
		})
	}
}

func TestLoadMissingAndHuge(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.toml")); err == nil || !strings.Contains(err.Error(), "read inventory") {
		t.Errorf("missing file: %v", err)
	}
	p := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(p, []byte(strings.Repeat("# padding\n", MaxFileSize/10+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"15m": 15 * time.Minute, "12h": 12 * time.Hour, "7d": 7 * 24 * time.Hour, "1h30m": 90 * time.Minute} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-1d", "forever", "1w"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q): no error", in)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, n := range []string{"HF_TOKEN", "hf-token", "hf.token", "Hf/Token"} {
		if got := Normalize(n); got != "hf_token" {
			t.Errorf("Normalize(%q) = %q", n, got)
		}
	}
}

func TestLocationName(t *testing.T) {
	for _, tc := range []struct{ store, loc, name, ns string }{
		{"ci", "REGISTRY_TOKEN", "REGISTRY_TOKEN", ""},
		{"ci", "github:PYPI_TOKEN", "PYPI_TOKEN", ""},
		{"truss", "baseten:hf_access_token", "hf_access_token", ""},
		{"env-file", ".env:SENTRY_DSN", "SENTRY_DSN", ""},
		{"k8s", "ml-serving/model-token", "model-token", "ml-serving"},
		{"k8s", "model-token", "model-token", ""},
		{"k8s", "a/b/c", "", ""},
		{"vault", "secret/data/ml/bucket-key/", "bucket-key", ""},
		{"aws-secrets-manager", "arn:aws:secretsmanager:us-east-1:1:secret:x", "", ""},
		{"1password", "vault/item", "", ""},
		{"ci", "TODO", "", ""},
		{"ci", "", "", ""},
	} {
		e := Entry{Store: tc.store, Location: tc.loc}
		if got := e.LocationName(); got != tc.name {
			t.Errorf("%s %q: LocationName %q, want %q", tc.store, tc.loc, got, tc.name)
		}
		if got := e.LocationNamespace(); got != tc.ns {
			t.Errorf("%s %q: LocationNamespace %q, want %q", tc.store, tc.loc, got, tc.ns)
		}
	}
}
