package scan

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// InputError is an input that could not be read, or read only in part. The
// scan goes on; the report lists it and the exit code says so.
type InputError struct {
	Input string `json:"input"`
	Err   error  `json:"-"`
}

func (e *InputError) Error() string { return e.Input + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Skip is an input left out on purpose (binary, too large, a submodule),
// reported so nothing is skipped silently.
type Skip struct {
	Input  string `json:"input"`
	Reason string `json:"reason"`
}

// Collector gathers what a scan produces. It is safe for concurrent use.
type Collector struct {
	mu       sync.Mutex
	findings []Finding
	errs     []*InputError
	skips    []Skip
	inputs   int64
	// work is what a source said it will do, for a progress line.
	work Work
	// held counts findings a source has made but adds only at its end
	// (git keeps the earliest commit of each secret), for Found.
	held int64
}

// Work is the progress of the units a source counts ahead (files in a
// tree, commits in a history, layers in an image): Total is 0 until the
// source knows it.
type Work struct {
	Unit        string
	Total, Done int64
}

// Add records findings.
func (c *Collector) Add(fs ...Finding) {
	if len(fs) == 0 {
		return
	}
	c.mu.Lock()
	c.findings = append(c.findings, fs...)
	c.mu.Unlock()
}

// Error records an input that could not be read. err should name the input.
func (c *Collector) Error(input string, err error) {
	var ie *InputError
	if !errors.As(err, &ie) || ie.Input != input {
		ie = &InputError{Input: input, Err: err}
	}
	c.mu.Lock()
	c.errs = append(c.errs, ie)
	c.mu.Unlock()
}

// Errorf records an input error from a format string.
func (c *Collector) Errorf(input, format string, args ...any) {
	c.Error(input, fmt.Errorf(format, args...))
}

// Skip records an input left out on purpose.
func (c *Collector) Skip(input, reason string) {
	c.mu.Lock()
	c.skips = append(c.skips, Skip{Input: input, Reason: reason})
	c.mu.Unlock()
}

// Input counts one input (a file, blob, layer or stream) that was read.
func (c *Collector) Input() {
	c.mu.Lock()
	c.inputs++
	c.mu.Unlock()
}

// Expect says that the running source will do n more units of work
// (named by unit: "files", "commits", "layers"), so a progress line can
// show a total and an estimate of the time left.
func (c *Collector) Expect(unit string, n int64) {
	c.mu.Lock()
	c.work.Unit = unit
	c.work.Total += n
	c.mu.Unlock()
}

// Did counts n units of work finished.
func (c *Collector) Did(n int64) {
	c.mu.Lock()
	c.work.Done += n
	c.mu.Unlock()
}

// Work returns the units of work expected and done so far.
func (c *Collector) Work() Work {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.work
}

// Hold counts n findings a source has made and will Add at its end (a
// negative n when it adds them), so a progress line shows them as they
// are found.
func (c *Collector) Hold(n int64) {
	c.mu.Lock()
	c.held += n
	c.mu.Unlock()
}

// Found returns how many findings were recorded so far, those held by a
// source included. It copies and sorts nothing, so a progress line can
// call it as often as it redraws.
func (c *Collector) Found() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.findings) + int(c.held)
}

// Snapshot returns a copy of the findings in the order they were recorded,
// for a caller that sorts once after its own stages (the pipeline).
func (c *Collector) Snapshot() []Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Finding(nil), c.findings...)
}

// Findings returns the findings sorted by path, line, column and rule.
func (c *Collector) Findings() []Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]Finding(nil), c.findings...)
	SortFindings(out)
	return out
}

// Errors returns the input errors in the order they occurred.
func (c *Collector) Errors() []*InputError {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*InputError(nil), c.errs...)
}

// Skips returns the skipped inputs.
func (c *Collector) Skips() []Skip {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Skip(nil), c.skips...)
}

// Inputs returns how many inputs were read.
func (c *Collector) Inputs() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inputs
}

// SortFindings orders findings deterministically: source, path, line,
// column, rule, commit, layer.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		switch {
		case a.Source != b.Source:
			return a.Source < b.Source
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.RuleID != b.RuleID:
			return a.RuleID < b.RuleID
		case a.Commit != b.Commit:
			return a.Commit < b.Commit
		}
		return a.Layer < b.Layer
	})
}
