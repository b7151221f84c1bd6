package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"

	"github.com/secretlint/secretlint/rules"
)

// codeQualityIssue is one entry of GitLab's code quality report (a subset
// of the Code Climate issue format): what GitLab shows in a merge request's
// widget and diff.
type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// codeQualitySeverity maps a severity to GitLab's five levels.
func codeQualitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "blocker"
	case rules.High:
		return "critical"
	case rules.Medium:
		return "major"
	case rules.Low:
		return "minor"
	}
	return "info"
}

// WriteCodeQuality writes the findings as a GitLab code quality report: a
// JSON array, one issue per finding. The issue carries no secret, redacted
// or not. Its fingerprint is a hash of the finding's fingerprint, which does
// not depend on line numbers or commits, so GitLab matches an issue across
// a merge request's base and head and shows only the new ones as new.
func WriteCodeQuality(w io.Writer, r *Report) error {
	issues := make([]codeQualityIssue, 0, len(r.Findings))
	for _, f := range r.Findings {
		desc := f.Description
		if f.Message != "" {
			desc += ": " + f.Message
		}
		if f.Commit != "" {
			desc += " (commit " + shortCommit(f.Commit) + ")"
		}
		if f.Image != "" && f.LayerIndex != nil {
			desc += " (image layer " + strconv.Itoa(*f.LayerIndex) + ")"
		}
		if f.Verification != nil {
			// The status only: identity and scopes stay in the other
			// reports, as the issue carries nothing of the secret.
			desc += " [verified " + f.Verification.Status + "]"
		}
		line := f.Line
		if line < 1 {
			line = 1
		}
		sum := sha256.Sum256([]byte(f.Fingerprint))
		issues = append(issues, codeQualityIssue{
			Description: desc,
			CheckName:   f.RuleID,
			Fingerprint: hex.EncodeToString(sum[:16]),
			Severity:    codeQualitySeverity(f.Severity),
			Location:    codeQualityLocation{Path: f.Path, Lines: codeQualityLines{Begin: line}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}
