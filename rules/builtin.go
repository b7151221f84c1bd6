package rules

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/BurntSushi/toml"
)

//go:embed builtin.toml
var builtinTOML []byte

// File is the shape of a rule file: the built-in set and user configs both
// list rules as [[rule]] tables.
type File struct {
	Rules []Spec `toml:"rule"`
}

var builtin = sync.OnceValues(func() ([]*Rule, error) {
	return ParseFile("builtin.toml", builtinTOML)
})

// Builtin returns the compiled built-in rules. They are shared: callers must
// not modify them.
func Builtin() ([]*Rule, error) { return builtin() }

// BuiltinSet returns the built-in rules as a Set.
func BuiltinSet() (*Set, error) {
	rs, err := Builtin()
	if err != nil {
		return nil, err
	}
	return NewSet(rs)
}

// BuiltinSpecs returns the specs of the built-in rules, for tools that list
// or override them.
func BuiltinSpecs() ([]Spec, error) {
	var f File
	if _, err := toml.NewDecoder(bytes.NewReader(builtinTOML)).Decode(&f); err != nil {
		return nil, err
	}
	return f.Rules, nil
}

// ParseFile decodes and compiles a rule file, rejecting unknown keys. name is
// used in error messages.
func ParseFile(name string, data []byte) ([]*Rule, error) {
	var f File
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown key %q", name, und[0].String())
	}
	out := make([]*Rule, 0, len(f.Rules))
	for _, s := range f.Rules {
		r, err := s.Compile()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}
