package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/inventory"
)

// BenchmarkInventory checks a large inventory (2,000 entries, half with
// ARN locations) against 2,000 references and 200 IAM statements: the
// entry checks and the cross-checks, as `inventory check PATH` runs them
// after the tree walk.
func BenchmarkInventory(b *testing.B) {
	var src strings.Builder
	var refs []Ref
	var grants []Statement
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&src, "[[secret]]\nname = \"secret-%d\"\nowner = \"team-%d@example.com\"\nenvironments = [\"production\"]\ndelivery = \"file\"\nrotation_days = 90\nlast_rotated = 2026-0%d-15\nscope = [\"secretsmanager:GetSecretValue\"]\nconsumers = [{ name = \"svc-%d\", access = \"read\" }]\nfingerprint = \"%s\"\n",
			i, i%40, 1+i%9, i%50, inventory.Fingerprint([]byte(fmt.Sprint(i))))
		if i%2 == 0 {
			fmt.Fprintf(&src, "location = \"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/s%d-Ab12Cd\"\n", i)
		}
		refs = append(refs, Ref{Kind: RefK8sSecretKey, Name: fmt.Sprintf("SECRET_%d", i+1), Path: "k8s.yaml", Line: i + 1})
	}
	for i := 0; i < 200; i++ {
		grants = append(grants, Statement{Path: "iam.json", Line: i + 1, Effect: "Allow",
			Actions:   []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
			Resources: []string{fmt.Sprintf("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/s%d*", i)}})
	}
	data := []byte(src.String())
	p, err := ParseInventoryPolicy("", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		inv, err := inventory.Parse("secrets.toml", data)
		if err != nil {
			b.Fatal(err)
		}
		n := len(CheckInventory(inv, p, invNow)) + len(CrossCheckInventory(inv, p, refs, grants))
		if n == 0 {
			b.Fatal("no findings")
		}
	}
}
