package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/catalog"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// SARIF 2.1.0, as GitHub code scanning reads it. Only the parts secretlint
// fills are modelled.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifFingerprintKey names secretlint's fingerprint in
	// partialFingerprints; the /v1 suffix lets the scheme change later.
	sarifFingerprintKey = "secretlint/v1"
	// sarifSecretHashKey names the finding's secret_hash there, when the
	// project has a fingerprint key: the same secret has it in every file.
	sarifSecretHashKey = "secretlint/secret_hash/v1"
	informationURI     = "https://github.com/secretlint/secretlint"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	// SecuritySeverity is a number 0.0-10.0 as a string; GitHub maps it to
	// critical (>9.0), high (7.0-8.9), medium (4.0-6.9) and low.
	SecuritySeverity string   `json:"security-severity"`
	Precision        string   `json:"precision"`
	Tags             []string `json:"tags"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	// EndColumn is exclusive in SARIF; findings carry an inclusive one.
	EndColumn int `json:"endColumn,omitempty"`
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity to GitHub's security-severity score.
func securitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "9.5"
	case rules.High:
		return "8.0"
	case rules.Medium:
		return "5.5"
	case rules.Low:
		return "3.0"
	}
	return "1.0"
}

// sarifURI turns a finding path into a relative URI reference. Absolute
// paths become file: URIs; a first segment with a colon gets "./" so it
// does not read as a scheme.
func sarifURI(p string) string {
	if p == "" || p == "-" {
		return "stdin"
	}
	p = filepath.ToSlash(p)
	if strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	p = strings.TrimPrefix(p, "./")
	u := (&url.URL{Path: p}).EscapedPath()
	if first, _, _ := strings.Cut(u, "/"); strings.Contains(first, ":") {
		u = "./" + u
	}
	return u
}

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run. Rule
// metadata covers the rules that produced findings, sorted by id.
func WriteSARIF(w io.Writer, r *Report) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           Tool,
			Version:        r.ToolVersion,
			InformationURI: informationURI,
			Rules:          []sarifRule{},
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, Notifications: []sarifNotification{}}},
		Results:     []sarifResult{},
	}
	ruleIndex := map[string]int{}
	var ids []string
	first := map[string]scan.Finding{}
	for _, f := range r.Findings {
		if _, ok := first[f.RuleID]; !ok {
			first[f.RuleID] = f
			ids = append(ids, f.RuleID)
		}
	}
	sort.Strings(ids)
	for i, id := range ids {
		f := first[id]
		ruleIndex[id] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(f))
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifResultFor(f, ruleIndex[f.RuleID]))
	}
	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{Text: e.Error()}}
		if e.Input != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(e.Input)}}}}
		}
		run.Invocations[0].Notifications = append(run.Invocations[0].Notifications, n)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifRuleFor returns the rule metadata of a finding's rule. A hygiene or
// inventory check's comes from the catalog: its description, its fix, and
// its help (why it matters, how to fix, an example), the text of its page
// docs/policy/<id>.md. A secret rule's comes from the finding, which
// carries the configured rule's catalog fields (a configuration may change
// or add rules, so the built-in catalog alone would be wrong for them).
func sarifRuleFor(f scan.Finding) sarifRule {
	desc, hint := f.Description, f.Hint
	c, isCheck := catalog.Check(f.RuleID)
	if isCheck {
		desc, hint = c.Description, c.Hint
	}
	if hint == "" {
		hint = "Remove the secret from the input, rotate it, and load it from a secret manager."
	}
	help := sarifText{Text: hint, Markdown: "**Fix:** " + hint}
	if md := catalog.Help(f.RuleID); isCheck && md != "" {
		help = sarifText{Text: catalog.HelpText(f.RuleID), Markdown: md}
	}
	tags := []string{"security", "secret"}
	if f.Source == scan.SourcePolicy {
		tags = []string{"security", "secret-hygiene"}
	}
	return sarifRule{
		ID:                   f.RuleID,
		Name:                 ruleName(f.RuleID),
		ShortDescription:     sarifText{Text: desc},
		FullDescription:      sarifText{Text: desc + ". " + hint},
		Help:                 help,
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(f.Severity)},
		Properties: sarifRuleProperty{
			SecuritySeverity: securitySeverity(f.Severity),
			Precision:        "high",
			Tags:             tags,
		},
	}
}

func sarifResultFor(f scan.Finding, idx int) sarifResult {
	msg := f.Description
	if f.Secret != "" {
		msg += ": " + f.Secret
	}
	if f.Encoding != "" {
		msg += " (" + f.Encoding + "-encoded)"
	}
	if f.Message != "" {
		msg += ". " + f.Message
	}
	if f.Image != "" {
		msg += fmt.Sprintf(" (image %s, layer %s)", f.Image, short(f.Layer))
	}
	if f.Commit != "" {
		msg += fmt.Sprintf(" (commit %s)", shortCommit(f.Commit))
	}
	region := &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn + 1}
	if f.Line <= 0 {
		region = nil
	} else if f.EndLine < f.Line || f.EndColumn <= 0 {
		region.EndLine, region.EndColumn = 0, 0
	}
	res := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           idx,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: msg},
		Locations:           []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(f.Path)}, Region: region}}},
		PartialFingerprints: map[string]string{sarifFingerprintKey: f.Fingerprint},
	}
	if f.SecretHash != "" {
		res.PartialFingerprints[sarifSecretHashKey] = f.SecretHash
	}
	props := map[string]any{"severity": f.Severity.String()}
	if f.Source != "" {
		props["source"] = f.Source
	}
	for k, v := range map[string]string{
		"commit": f.Commit, "author": f.Author, "email": f.Email, "date": f.Date, "commit_message": f.CommitTitle,
		"image": f.Image, "manifest": f.Manifest, "layer": f.Layer, "created_by": f.CreatedBy, "deleted_by": f.DeletedBy,
		"encoding": f.Encoding, "secret_hash": f.SecretHash,
	} {
		if v != "" {
			props[k] = v
		}
	}
	if f.LayerIndex != nil {
		props["layer_index"] = *f.LayerIndex
	}
	if f.Deleted {
		props["deleted"] = true
	}
	if f.Inventory != nil {
		props["inventory"] = f.Inventory
	}
	if f.Context != "" {
		props["context"] = f.Context
		props["tags"] = []string{f.Context}
	}
	if f.Verification != nil {
		props["verification"] = f.Verification
	}
	res.Properties = props
	return res
}

// ruleName turns a rule id into the PascalCase name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, c := range id {
		if c == '-' || c == '_' || c == '.' {
			up = true
			continue
		}
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		b.WriteRune(c)
	}
	return b.String()
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
