package policy

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/scan"
)

// invMaxFile bounds the size of a file read for references.
const invMaxFile = 4 << 20

// InventoryScan is what FindInventoryReferences found in a tree.
type InventoryScan struct {
	// Refs are the places that name a secret, sorted by path and line.
	Refs []Ref
	// Statements are the IAM policy statements found (see IAMStatements).
	Statements []Statement
	// Files counts the files read.
	Files int
}

// FindInventoryReferences walks the roots for the secret names the project
// uses — Truss config.yaml secrets:, secret-like .env template keys,
// Kubernetes Secrets that workloads consume, ${{ secrets.X }} in GitHub
// Actions workflows — and for IAM policy statements, using the per-file
// finders of this package. A file that cannot be read or parsed is passed
// to onError (which may be nil) and the walk goes on; skip, when not nil,
// leaves paths out (the configuration's allowlist).
func FindInventoryReferences(ctx context.Context, roots []string, skip func(path string) bool, onError func(path string, err error)) *InventoryScan {
	if onError == nil {
		onError = func(string, error) {}
	}
	res := &InventoryScan{}
	for _, root := range roots {
		if root == "-" {
			continue
		}
		w := &scan.Walker{Vendored: true, OnError: onError}
		err := w.Walk(ctx, root, func(p string, d fs.DirEntry) error {
			if d.IsDir() || (skip != nil && skip(p)) {
				return nil
			}
			finders := invFinders(p)
			if len(finders) == 0 {
				return nil
			}
			data, err := invRead(p)
			if err != nil {
				onError(p, err)
				return nil
			}
			res.Files++
			for _, find := range finders {
				if err := find(res, p, data); err != nil {
					onError(p, err)
					break // one error per file: the finders share a parser
				}
			}
			return nil
		})
		if err != nil && ctx.Err() == nil {
			onError(root, err)
		}
	}
	sort.SliceStable(res.Refs, func(i, j int) bool {
		a, b := res.Refs[i], res.Refs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Name < b.Name
	})
	return res
}

func invRead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, invMaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > invMaxFile {
		return nil, fmt.Errorf("larger than %d MB; not searched for secret references", invMaxFile>>20)
	}
	return data, nil
}

type invFinder func(res *InventoryScan, path string, data []byte) error

var invEnvTemplates = map[string]bool{
	".env.template": true, ".env.example": true, ".env.sample": true, ".env.dist": true, ".env.defaults": true,
}

// invFinders picks the finders for a file by its name.
func invFinders(p string) []invFinder {
	base := strings.ToLower(filepath.Base(p))
	slash := filepath.ToSlash(p)
	switch {
	case invEnvTemplates[base]:
		return []invFinder{invEnvKeys}
	case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		fs := []invFinder{invRefs(KubernetesSecretRefs), invIAM}
		if base == "config.yaml" || base == "config.yml" {
			fs = append([]invFinder{invRefs(TrussSecretNames)}, fs...)
		}
		if strings.Contains(slash, ".github/workflows/") || strings.Contains(slash, ".github/actions/") {
			fs = append(fs, invRefs(WorkflowSecretRefs))
		}
		return fs
	case strings.HasSuffix(base, ".json"):
		return []invFinder{invIAM, invRefs(KubernetesSecretRefs)}
	case strings.HasSuffix(base, ".tf"):
		return []invFinder{invIAM}
	}
	return nil
}

func invRefs(find func(string, []byte) ([]Ref, error)) invFinder {
	return func(res *InventoryScan, p string, data []byte) error {
		refs, err := find(p, data)
		for _, r := range refs {
			if r.Name == "" || (r.Kind == RefWorkflowSecret && r.Name == "GITHUB_TOKEN") {
				continue // GITHUB_TOKEN is issued per run, not inventoried
			}
			res.Refs = append(res.Refs, r)
		}
		return err
	}
}

func invIAM(res *InventoryScan, p string, data []byte) error {
	st, err := IAMStatements(p, data)
	res.Statements = append(res.Statements, st...)
	return err
}

// invSecretName says whether a .env template key looks like it holds a
// secret; the others (LOG_LEVEL, PORT) are configuration.
var invSecretName = regexp.MustCompile(`(?i)(token|secret|passw|pwd|api_?key|private|credential|_key$|^key$|dsn|auth|database_url|conn(ection)?_?str)`)

func invEnvKeys(res *InventoryScan, p string, data []byte) error {
	refs, err := EnvTemplateKeys(p, data)
	for _, r := range refs {
		if invSecretName.MatchString(r.Name) {
			res.Refs = append(res.Refs, r)
		}
	}
	return err
}

// InferEnvironment guesses an environment from a path: production,
// staging, development or ci; "" when nothing suggests one.
func InferEnvironment(s string) string {
	s = strings.ToLower(filepath.ToSlash(s))
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '_' || r == '.' })
	for _, w := range parts {
		switch w {
		case "prod", "production", "prd":
			return "production"
		case "staging", "stage", "stg":
			return "staging"
		case "dev", "development":
			return "development"
		case "github", "gitlab", "workflows":
			return "ci"
		}
	}
	return ""
}
