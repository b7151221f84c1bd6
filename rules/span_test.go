package rules

import (
	"regexp/syntax"
	"testing"
)

// TestSpanAndLeadFromOneParse pins what the loader reads off a rule's
// parsed regex, counted repetitions included (the tree is not simplified
// first): the most bytes a match spans, and the literal it starts with.
func TestSpanAndLeadFromOneParse(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		span     int
		lead     string
		boundary bool
	}{
		{`\b(AKIA[A-Z2-7]{16})\b`, 20, "akia", true},
		{`\b(hvs\.[A-Za-z0-9_-]{24,})(?:[^0-9A-Za-z_-]|$)`, 0, "hvs.", true}, // unbounded, and $
		{`(?i)Token: ([a-f0-9]{8}(?:-[a-f0-9]{4}){3})`, 7 + 8 + 15, "token: ", false},
		{`xoxb-[0-9]{10,13}-é`, 5 + 13 + 1 + 2, "xoxb-", false},
		{`^key=([A-Z]{4})`, 0, "", false},
		{`(?:sk|pk)_live_[0-9a-zA-Z]{24}`, 2 + 6 + 24, "", false},
	} {
		re, err := syntax.Parse(tc.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		lead, boundary := leadingLiteral(re)
		if got := maxSpan(re); got != tc.span || lead != tc.lead || boundary != tc.boundary {
			t.Errorf("%s: span %d, lead %q, boundary %v; want %d, %q, %v", tc.pattern, got, lead, boundary, tc.span, tc.lead, tc.boundary)
		}
	}
}
