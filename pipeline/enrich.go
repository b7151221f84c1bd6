package pipeline

import (
	"context"

	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/scan"
)

// Enricher adds facts to findings after detection: who committed a secret,
// which inventory entry and owner it belongs to, later whether it is live.
// It fills in fields of fs in place and never adds, drops or moves a
// finding; inputs it cannot read go to out as input errors.
//
// A Source that is also an Enricher (a git history) is run as one over the
// run's findings after every source has finished.
type Enricher interface {
	Enrich(ctx context.Context, fs []scan.Finding, out *scan.Collector) error
}

// TagInventory returns the enricher that names, on each finding whose value
// the inventory lists (by fingerprint), the entry and its owner, and raises
// it to critical: a known production secret has leaked.
func TagInventory(inv *inventory.Inventory) Enricher { return inventoryTagger{inv} }

type inventoryTagger struct{ inv *inventory.Inventory }

func (t inventoryTagger) String() string { return "inventory " + t.inv.Path }

func (t inventoryTagger) Enrich(_ context.Context, fs []scan.Finding, _ *scan.Collector) error {
	for i := range fs {
		policy.TagInventoryFinding(t.inv, &fs[i])
	}
	return nil
}

// markTestContext marks findings in test fixture paths with context "test"
// and, when the configuration says so, lowers their severity. It runs
// before the inventory tagger, so a listed production secret found in a
// fixture is still raised to critical. Paths are judged below the scan
// root, so a checkout under ~/tests/ is not all fixtures.
type markTestContext struct {
	tc    config.TestContext
	roots []string
}

func (markTestContext) String() string { return "test context" }

func (m markTestContext) Enrich(_ context.Context, fs []scan.Finding, _ *scan.Collector) error {
	for i := range fs {
		f := &fs[i]
		rel := f.Path
		for _, r := range m.roots {
			if p, ok := underRoot(f.Path, r); ok {
				rel = p
				break
			}
		}
		if !m.tc.InTest(rel) {
			continue
		}
		f.Context = scan.ContextTest
		if s := m.tc.Severity; s != nil && *s < f.Severity {
			f.Severity = *s
		}
	}
	return nil
}
