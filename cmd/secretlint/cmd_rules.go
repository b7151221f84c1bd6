package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/secretlint/secretlint/catalog"
)

func init() {
	register(&command{name: "rules", summary: "list the rules in effect (built-in plus configuration)", run: runRules})
}

func runRules(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	o := &scanOptions{}
	addGlobalFlags(fs, o, "config")
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	cfg, err := loadConfig(o, []string{"."})
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	// The catalog of the configured rule set: the one registry the
	// reports, the docs and this listing read.
	cat, err := catalog.New(cfg.Rules, nil)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	rs := cat.Entries(catalog.SecretRule)
	var rows [][]string
	for _, r := range rs {
		rows = append(rows, []string{r.ID, r.Severity.String(), clip(strings.Join(r.Keywords, ","), 40), r.Description})
	}
	if err := writeTable(e.stdout, e.colorProfile(e.stdout, false), []string{"ID", "SEVERITY", "KEYWORDS", "DESCRIPTION"}, rows); err != nil {
		e.errorf("write: %v", err)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "%d rules\n", len(rs))
	return exitClean
}

// clip shortens s to at most n runes, marking the cut, so one rule with many
// keywords does not widen every row of the table.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
