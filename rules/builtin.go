package rules

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"github.com/BurntSushi/toml"
)

//go:embed builtin.toml
var builtinTOML []byte

// families holds the rule files of provider families, one file each; they
// join the built-in set after builtin.toml, in file-name order.
//
//go:embed families/*.toml
var families embed.FS

// builtinFiles returns the built-in rule files, name and content, in load
// order.
func builtinFiles() ([]string, [][]byte) {
	names := []string{"builtin.toml"}
	datas := [][]byte{builtinTOML}
	paths, _ := fs.Glob(families, "families/*.toml")
	sort.Strings(paths)
	for _, p := range paths {
		data, err := families.ReadFile(p)
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		names, datas = append(names, p), append(datas, data)
	}
	return names, datas
}

// File is the shape of a rule file: the built-in set and user configs both
// list rules as [[rule]] tables.
type File struct {
	Rules []Spec `toml:"rule"`
}

var builtin = sync.OnceValues(func() ([]*Rule, error) {
	names, datas := builtinFiles()
	var all []*Rule
	seen := map[string]string{}
	for i, name := range names {
		rs, err := ParseFile(name, datas[i], nil)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if prev, dup := seen[r.ID]; dup {
				return nil, fmt.Errorf("%s: rule %q already defined in %s", name, r.ID, prev)
			}
			seen[r.ID] = name
		}
		all = append(all, rs...)
	}
	return all, nil
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

// ParseFile decodes and compiles a rule file, rejecting unknown keys. name is
// used in error messages. Its rules may name the built-in validators and
// those in extra.
func ParseFile(name string, data []byte, extra Validators) ([]*Rule, error) {
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
		r, err := s.CompileWith(extra)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}
