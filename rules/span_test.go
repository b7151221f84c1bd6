package rules

import (
	"regexp/syntax"
	"strings"
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

// TestSkipsReadFromTheRegex pins which regexes Find may run anchored at a
// name (every match opens one) and which required run lets it skip a
// region: a wrong yes here would lose findings, so the negative cases are
// the shapes that look close.
func TestSkipsReadFromTheRegex(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		name    bool
		run     int
	}{
		{`(?i)(?:^|[^\w.-])[\w.-]*?(?:passw(?:or)?d|token)\s*=\s*([^\s"'&]{7,})`, true, 0},
		{`(?:^|[^\w.-])(?i:secret)=(\S+)`, true, 0},
		{`(?:^|[^\w.-])[\w.-]*?=.*(password)`, false, 0},       // the keyword need not be in the first name
		{`(?:^|[^\w])[\w.-]*?password=(\S+)`, false, 0},        // a match may start on a dot inside a name
		{`(?:^|[^\w.-])[\w.-]*?(?:password)?=(\S+)`, false, 0}, // the name may be empty
		{`\bpassword=(\S+)`, false, 0},
		{`(?i:aws[\w.-]{0,20}?secret)\s*=\s*([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`, false, 40},
		{`\b((?:AKIA|ASIA)[A-Z2-7]{16})\b`, false, 16},
		{`(?:key=([A-Za-z0-9]{40})|token=([a-z]{20}))`, false, 0}, // inside an alternation: not required
		{`pat_([A-Za-z0-9]{8})`, false, 0},                        // too short to be worth a scan
	} {
		tree, err := syntax.Parse(tc.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := opensWithName(tree); got != tc.name {
			t.Errorf("%s: opensWithName = %v, want %v", tc.pattern, got, tc.name)
		}
		if got, _ := requiredRun(tree); got != tc.run {
			t.Errorf("%s: required run %d, want %d", tc.pattern, got, tc.run)
		}
	}
	for pattern, want := range map[string]string{
		`["']secret_key["']\s*=>\s*["'](sk_[^\s"']{29})["']`: "secret_key => sk_",
		`(?i)secret_key\s*=\s*(\w{20})`:                      "", // folded: either case may occur
		`(?:key|token)=(\w{20})`:                             "", // inside an alternation
		`x\s*=(\w{20})`:                                      "", // one byte each: in any text
	} {
		tree, err := syntax.Parse(pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, lit := range requiredLiterals(tree) {
			got = append(got, string(lit))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: required literals %q, want %q", pattern, got, want)
		}
	}
	tree, _ := syntax.Parse(`(?:^|[^\w.-])token=([^\s"'&]{7,}[^\s,;])`, syntax.Perl)
	in := trailingRun(tree)
	if in == nil || !in['a'] || !in['='] || !in[0xC3] || in[' '] || in['"'] || in['&'] {
		t.Errorf("trailingRun: wrong class %v", in)
	}
}
