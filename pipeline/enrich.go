package pipeline

import (
	"context"

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
