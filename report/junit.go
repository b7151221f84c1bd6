package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/secretlint/secretlint/scan"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// errorSuite names the suite that holds unreadable inputs.
const errorSuite = "secretlint: unreadable inputs"

// WriteJUnit writes JUnit XML for CI dashboards: one testsuite per scanned
// path (image and path for image findings), one failing testcase per
// finding, and an error testcase per unreadable input. A clean scan gives
// one passing testcase, so dashboards show the gate ran.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{Name: Tool, Time: fmt.Sprintf("%.3f", r.Stats.Seconds)}
	idx := map[string]int{}
	for _, f := range r.Findings {
		where := location(f)
		i, ok := idx[where]
		if !ok {
			i = len(out.Suites)
			idx[where] = i
			out.Suites = append(out.Suites, junitSuite{Name: where})
		}
		s := &out.Suites[i]
		s.Tests++
		s.Failures++
		s.Cases = append(s.Cases, junitCase{
			Name:      fmt.Sprintf("%s at %d:%d", f.RuleID, f.Line, f.Column),
			ClassName: where,
			Failure: &junitProblem{
				Message: junitMessage(f),
				Type:    f.RuleID,
				Text:    junitDetail(f),
			},
		})
	}
	if len(r.Errors) > 0 {
		s := junitSuite{Name: errorSuite}
		for _, e := range r.Errors {
			s.Tests++
			s.Errors++
			s.Cases = append(s.Cases, junitCase{
				Name:      e.Input,
				ClassName: errorSuite,
				Error:     &junitProblem{Message: e.Error(), Type: "unreadable-input", Text: e.Error()},
			})
		}
		out.Suites = append(out.Suites, s)
	}
	if len(out.Suites) == 0 {
		out.Suites = []junitSuite{{Name: Tool, Tests: 1, Cases: []junitCase{{Name: "no secrets found", ClassName: Tool}}}}
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// location is where a finding is, as people read it: the path, prefixed by
// the image for image findings.
func location(f scan.Finding) string {
	if f.Image != "" {
		return f.Image + " " + f.Path
	}
	return f.Path
}

func junitDetail(f scan.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s (%s, severity %s)\n", location(f), f.Line, f.Column, f.Description, f.RuleID, f.Severity)
	if f.Secret != "" {
		fmt.Fprintf(&b, "secret: %s\n", f.Secret)
	}
	if f.Encoding != "" {
		fmt.Fprintf(&b, "encoding: %s\n", f.Encoding)
	}
	if f.Verification != nil {
		fmt.Fprintf(&b, "%s\n", verificationLine(f.Verification))
	}
	if f.Message != "" {
		fmt.Fprintf(&b, "%s\n", f.Message)
	}
	if f.Commit != "" {
		fmt.Fprintf(&b, "commit: %s by %s <%s> on %s\n", f.Commit, f.Author, f.Email, f.Date)
	}
	if f.Layer != "" {
		fmt.Fprintf(&b, "layer: %s\n", f.Layer)
	}
	fmt.Fprintf(&b, "fingerprint: %s\n", f.Fingerprint)
	if f.Hint != "" {
		fmt.Fprintf(&b, "fix: %s\n", f.Hint)
	}
	return b.String()
}

// junitMessage is the failure's one-line message: the rule's description,
// and for a credential the provider accepted, that it is live.
func junitMessage(f scan.Finding) string {
	if f.Verification.Live() {
		return "LIVE: " + f.Description
	}
	return f.Description
}
