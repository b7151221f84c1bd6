package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/inventory"
)

// FuzzInventoryCheck loads an arbitrary inventory and policy and runs every
// inventory check and cross-check on them: nothing may panic, and every
// finding must carry an inventory check id and a position.
func FuzzInventoryCheck(f *testing.F) {
	example := filepath.Join("..", "testdata", "inventory", "example")
	inv, err := os.ReadFile(filepath.Join(example, "secrets.toml"))
	if err != nil {
		f.Fatal(err)
	}
	pol, err := os.ReadFile(filepath.Join(example, "secretlint-policy.toml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(inv, pol)
	f.Add([]byte("[[secret]]\n"+invEntry), []byte(DefaultInventoryPolicy))
	f.Add([]byte("[[secret]]\nname = \"a\"\nlocation = \""+invARN+"\"\nscope = [\"*\"]\nttl = \"1d\"\n"), []byte("max_ttl = \"1h\"\nwriters = [\"x\"]\n"))
	refs := []Ref{{Kind: RefTruss, Name: "a", Path: "config.yaml", Line: 2}, {Kind: RefWorkflowSecret, Name: "B", Path: "ci.yml", Line: 3}}
	grants := []Statement{
		{Path: "iam.json", Line: 4, Effect: "Allow", Actions: []string{"secretsmanager:*"}, Resources: []string{"*"}},
		{Path: "iam.json", Line: 9, Effect: "Allow", NotActions: []string{"secretsmanager:DeleteSecret"}, NotResources: []string{invExact}},
		{Path: "iam.json", Line: 14, Effect: "Allow", Actions: []string{"*"}, Resources: []string{"arn:aws:secretsmanager:*:*:secret:prod/*"}},
	}
	f.Fuzz(func(t *testing.T, invData, polData []byte) {
		p, err := ParseInventoryPolicy("policy.toml", polData)
		if err != nil {
			return
		}
		inv, err := inventory.Parse("secrets.toml", invData)
		if err != nil {
			return
		}
		fs := append(CheckInventory(inv, p, invNow), CrossCheckInventory(inv, p, refs, grants)...)
		for _, fd := range fs {
			if !strings.HasPrefix(fd.RuleID, "inventory-") || fd.Path == "" || fd.Line < 0 || fd.Message == "" || fd.Secret != "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
