package pipeline

import (
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// Verdict is what a report means for a gate. Commands map it to their exit
// codes.
type Verdict int

const (
	// Clean: nothing at or above the fail-on severity, every input read.
	Clean Verdict = iota
	// Failed: a finding at or above the fail-on severity.
	Failed
	// InputErrors: no such finding, but some input could not be read.
	InputErrors
	// NothingScanned: the run was asked to read something and read nothing.
	NothingScanned
)

// Judge returns the verdict on a report: findings at or above failOn
// first, then input errors, then, when requireInput is set, a run that
// read no input at all.
func Judge(r *report.Report, failOn rules.Severity, requireInput bool) Verdict {
	return judge(r, requireInput, func(f *scan.Finding) bool { return f.Severity >= failOn })
}

// JudgeLive is Judge for --fail-on-live: a credential the provider
// accepted fails the run whatever its severity, and findings that are not
// live do not; input errors and an empty run count as in Judge.
func JudgeLive(r *report.Report, requireInput bool) Verdict {
	return judge(r, requireInput, func(f *scan.Finding) bool { return f.Verification.Live() })
}

// judge is the verdict with fails saying which findings fail the run.
func judge(r *report.Report, requireInput bool, fails func(*scan.Finding) bool) Verdict {
	for i := range r.Findings {
		if fails(&r.Findings[i]) {
			return Failed
		}
	}
	if len(r.Errors) > 0 {
		return InputErrors
	}
	if requireInput && r.Stats.Inputs == 0 {
		return NothingScanned
	}
	return Clean
}
