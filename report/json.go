package report

import (
	"encoding/json"
	"io"

	"github.com/secretlint/secretlint/scan"
)

type jsonError struct {
	Input string `json:"input"`
	Error string `json:"error"`
}

type jsonReport struct {
	Version     string         `json:"version"`
	Tool        string         `json:"tool"`
	ToolVersion string         `json:"tool_version,omitempty"`
	Findings    []scan.Finding `json:"findings"`
	Errors      []jsonError    `json:"errors"`
	Skipped     []scan.Skip    `json:"skipped"`
	Stale       []string       `json:"stale_baseline"`
	StaleAllow  []string       `json:"stale_allowlist,omitempty"`
	Stats       Stats          `json:"stats"`
	Shard       *Shard         `json:"shard,omitempty"`
	Audit       *Audit         `json:"audit,omitempty"`
}

// WriteJSON writes the report as one indented JSON object: version, tool,
// tool_version, findings, errors, skipped, stale_baseline, stale_allowlist
// (only when an allowlist entry is stale) and stats. Every other array is
// present, empty when there is nothing to list. docs/report.md
// documents each field.
func WriteJSON(w io.Writer, r *Report) error {
	jr := jsonReport{
		Version:     Version,
		Tool:        Tool,
		ToolVersion: r.ToolVersion,
		Findings:    r.Findings,
		Errors:      []jsonError{},
		Skipped:     r.Skips,
		Stale:       r.Stale,
		StaleAllow:  r.StaleAllowlist,
		Stats:       r.Stats,
		Shard:       r.Shard,
		Audit:       r.Audit,
	}
	if jr.Findings == nil {
		jr.Findings = []scan.Finding{}
	}
	if jr.Skipped == nil {
		jr.Skipped = []scan.Skip{}
	}
	if jr.Stale == nil {
		jr.Stale = []string{}
	}
	for _, e := range r.Errors {
		jr.Errors = append(jr.Errors, jsonError{Input: e.Input, Error: e.Err.Error()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jr)
}

// WriteJSONL writes one JSON object per finding per line, for streams.
func WriteJSONL(w io.Writer, fs []scan.Finding) error {
	enc := json.NewEncoder(w)
	for i := range fs {
		if err := enc.Encode(&fs[i]); err != nil {
			return err
		}
	}
	return nil
}
