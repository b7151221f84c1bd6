package inventory

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with an inventory file, with where and how to
// fix it. Problems never quote a fingerprint or any other value that might
// be a pasted secret.
type Problem struct {
	Path string
	Line int // 1-based; 0 when unknown
	Msg  string
	Fix  string
}

// Error formats the problem as file:line: message; fix: how.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	if p.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// Error is every problem found in one inventory file, in line order.
type Error struct {
	Problems []*Problem
}

// Error lists the problems, one a line.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, so errors.As finds a *Problem.
func (e *Error) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}
