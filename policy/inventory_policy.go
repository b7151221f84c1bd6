package policy

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/rules"
)

// InventoryPolicyFile is the policy file looked for beside the inventory.
const InventoryPolicyFile = "secretlint-policy.toml"

// DefaultInventoryPolicy is the built-in inventory policy, as TOML. A policy
// file overrides the keys it sets; docs/inventory.md quotes this text.
const DefaultInventoryPolicy = `# secretlint inventory policy: the limits secrets.toml is checked against.

# A secret must be rotated at least this often, whatever its own
# rotation_days says, and is reported as due this many days before.
max_rotation_days = 90
warn_before_days = 14

# Every secret names an owner, a rotation interval and its last rotation.
require_owner = true
require_rotation = true

# Short-lived credentials (entries with a ttl) live no longer than this.
max_ttl = "24h"

# Scopes list exact actions, never wildcards such as "s3:*" or "*".
forbid_wildcard_scopes = true

# A secret serves one environment; production never shares a value.
forbid_shared_environments = true

# Environments held to production rules: never delivered through env vars.
production_environments = ["production", "prod"]

# Consumers allowed write access (e.g. the CI step that publishes models).
# Any other consumer with access = "write" is reported.
writers = []

# Check ids to turn off, e.g. ["inventory-unused"].
disable = []

# How each environment may receive secrets. Environments not listed here may
# use any delivery except env in a production environment.
[allowed_delivery]
production = ["identity", "file", "sidecar"]
prod = ["identity", "file", "sidecar"]
staging = ["identity", "file", "sidecar", "ci-masked"]
ci = ["identity", "ci-masked", "file"]

# Severity overrides per check id, e.g. "inventory-unused" = "medium".
[severity]
`

// InventoryPolicy holds the limits an inventory is checked against.
type InventoryPolicy struct {
	// Path is the file the policy came from; empty for the defaults.
	Path                     string              `toml:"-"`
	MaxRotationDays          int                 `toml:"max_rotation_days"`
	WarnBeforeDays           int                 `toml:"warn_before_days"`
	RequireOwner             bool                `toml:"require_owner"`
	RequireRotation          bool                `toml:"require_rotation"`
	MaxTTL                   string              `toml:"max_ttl"`
	ForbidWildcardScopes     bool                `toml:"forbid_wildcard_scopes"`
	ForbidSharedEnvironments bool                `toml:"forbid_shared_environments"`
	ProductionEnvironments   []string            `toml:"production_environments"`
	Writers                  []string            `toml:"writers"`
	Disable                  []string            `toml:"disable"`
	AllowedDelivery          map[string][]string `toml:"allowed_delivery"`
	Severity                 map[string]string   `toml:"severity"`

	maxTTL   time.Duration
	severity map[string]rules.Severity
}

// LoadInventoryPolicy reads a policy file over the defaults; "" gives the
// defaults alone.
func LoadInventoryPolicy(path string) (*InventoryPolicy, error) {
	if path == "" {
		return ParseInventoryPolicy("", nil)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return ParseInventoryPolicy(path, data)
}

// FindInventoryPolicy returns the policy file beside the inventory, or "".
func FindInventoryPolicy(dirs ...string) string {
	for _, d := range dirs {
		p := filepath.Join(d, InventoryPolicyFile)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// ParseInventoryPolicy decodes policy bytes over the defaults; path names
// the file in errors.
func ParseInventoryPolicy(path string, data []byte) (*InventoryPolicy, error) {
	p := &InventoryPolicy{}
	if _, err := toml.Decode(DefaultInventoryPolicy, p); err != nil {
		return nil, err
	}
	if data != nil {
		// Lists the file sets replace the defaults; allowed_delivery and
		// severity merge per key.
		md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w; fix: see the defaults in docs/inventory.md", path, err)
		}
		if k := md.Undecoded(); len(k) > 0 {
			return nil, fmt.Errorf("%s: unknown key %q; fix: remove it (the keys are listed in docs/inventory.md)", path, k[0].String())
		}
	}
	p.Path = path
	return p, p.compile()
}

func (p *InventoryPolicy) compile() error {
	where := p.Path
	if where == "" {
		where = "built-in policy"
	}
	if p.MaxRotationDays < 0 || p.WarnBeforeDays < 0 {
		return fmt.Errorf("%s: max_rotation_days and warn_before_days must not be negative", where)
	}
	if p.MaxTTL != "" {
		d, err := inventory.ParseDuration(p.MaxTTL)
		if err != nil || d <= 0 {
			return fmt.Errorf("%s: max_ttl %q is not a duration; fix: write e.g. max_ttl = \"24h\"", where, p.MaxTTL)
		}
		p.maxTTL = d
	}
	for env, ds := range p.AllowedDelivery {
		for _, d := range ds {
			if !invContains(inventory.Deliveries, d) {
				return fmt.Errorf("%s: allowed_delivery.%s: unknown delivery %q; fix: use one of %s", where, env, d, strings.Join(inventory.Deliveries, ", "))
			}
		}
	}
	ids := map[string]bool{}
	for _, c := range InventoryChecks() {
		ids[c.ID] = true
	}
	for _, id := range p.Disable {
		if !ids[id] {
			return fmt.Errorf("%s: disable: unknown check %q; fix: run `secretlint inventory checks` for the ids", where, id)
		}
	}
	p.severity = map[string]rules.Severity{}
	keys := make([]string, 0, len(p.Severity))
	for k := range p.Severity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, id := range keys {
		if !ids[id] {
			return fmt.Errorf("%s: severity: unknown check %q; fix: run `secretlint inventory checks` for the ids", where, id)
		}
		s, err := rules.ParseSeverity(p.Severity[id])
		if err != nil {
			return fmt.Errorf("%s: severity.%s: %w", where, id, err)
		}
		p.severity[id] = s
	}
	return nil
}

func (p *InventoryPolicy) enabled(id string) bool { return !invContains(p.Disable, id) }

func (p *InventoryPolicy) isProduction(env string) bool {
	return invContainsFold(p.ProductionEnvironments, env)
}

// allowed returns the deliveries an environment allows and whether the
// policy lists the environment at all.
func (p *InventoryPolicy) allowed(env string) ([]string, bool) {
	for k, v := range p.AllowedDelivery {
		if strings.EqualFold(k, env) {
			return v, true
		}
	}
	return nil, false
}

func (p *InventoryPolicy) isWriter(name string) bool { return invContainsFold(p.Writers, name) }

func invContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func invContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
