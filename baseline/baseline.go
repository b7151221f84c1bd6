package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/scan"
)

// Baseline is a set of finding fingerprints to suppress.
type Baseline struct {
	Path         string
	fingerprints map[string]bool
}

// file is the JSON shape of a baseline file.
type file struct {
	Version      string  `json:"version"`
	Fingerprints []entry `json:"findings"`
}

type entry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Path        string `json:"path"`
}

// Load reads a baseline file.
func Load(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a secretlint baseline: %v", path, err)
	}
	b := &Baseline{Path: path, fingerprints: map[string]bool{}}
	for _, e := range f.Fingerprints {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: entry without fingerprint", path)
		}
		b.fingerprints[e.Fingerprint] = true
	}
	return b, nil
}

// Write writes a baseline holding the findings' fingerprints.
func Write(w io.Writer, fs []scan.Finding) error {
	seen := map[string]bool{}
	f := file{Version: "1", Fingerprints: []entry{}}
	for _, fd := range fs {
		if seen[fd.Fingerprint] {
			continue
		}
		seen[fd.Fingerprint] = true
		f.Fingerprints = append(f.Fingerprints, entry{Fingerprint: fd.Fingerprint, RuleID: fd.RuleID, Path: fd.Path})
	}
	sort.Slice(f.Fingerprints, func(i, j int) bool { return f.Fingerprints[i].Fingerprint < f.Fingerprints[j].Fingerprint })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// Filter drops baselined findings. It returns the findings kept, how many
// were suppressed, and the baseline entries that matched nothing (stale).
func (b *Baseline) Filter(fs []scan.Finding) (kept []scan.Finding, suppressed int, stale []string) {
	used := map[string]bool{}
	for _, f := range fs {
		if b.fingerprints[f.Fingerprint] {
			used[f.Fingerprint] = true
			suppressed++
			continue
		}
		kept = append(kept, f)
	}
	for fp := range b.fingerprints {
		if !used[fp] {
			stale = append(stale, fp)
		}
	}
	sort.Strings(stale)
	return kept, suppressed, stale
}

// Ignore is a parsed .gitleaksignore: fingerprints in gitleaks' forms
// (commit:path:rule:line or path:rule:line) and secretlint fingerprints.
type Ignore struct {
	entries map[string]bool
}

// LoadGitleaksIgnore reads a .gitleaksignore file.
func LoadGitleaksIgnore(path string) (*Ignore, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ig := &Ignore{entries: map[string]bool{}}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ig.entries[line] = true
	}
	return ig, nil
}

// Merge returns the union of two ignore sets; either may be nil.
func (ig *Ignore) Merge(o *Ignore) *Ignore {
	if ig == nil {
		return o
	}
	if o == nil {
		return ig
	}
	for k := range o.entries {
		ig.entries[k] = true
	}
	return ig
}

// Matches reports whether an ignore entry names the finding.
func (ig *Ignore) Matches(f scan.Finding) bool {
	if ig == nil {
		return false
	}
	keys := []string{
		f.Fingerprint,
		fmt.Sprintf("%s:%s:%d", f.Path, f.RuleID, f.Line),
	}
	if f.Commit != "" {
		keys = append(keys, fmt.Sprintf("%s:%s:%s:%d", f.Commit, f.Path, f.RuleID, f.Line))
	}
	for _, k := range keys {
		if ig.entries[k] {
			return true
		}
	}
	return false
}
