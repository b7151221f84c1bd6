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

// builtinSet is the built-in rules and the file each came from.
type builtinSet struct {
	rules []*Rule
	file  map[string]string
}

var builtin = sync.OnceValues(func() (builtinSet, error) {
	names, datas := builtinFiles()
	b := builtinSet{file: map[string]string{}}
	for i, name := range names {
		rs, err := ParseFile(name, datas[i], nil)
		if err != nil {
			return b, err
		}
		for _, r := range rs {
			if prev, dup := b.file[r.ID]; dup {
				return b, fmt.Errorf("%s: rule %q already defined in %s", name, r.ID, prev)
			}
			b.file[r.ID] = name
		}
		b.rules = append(b.rules, rs...)
	}
	return b, nil
})

// Builtin returns the compiled built-in rules. They are shared: callers must
// not modify them.
func Builtin() ([]*Rule, error) {
	b, err := builtin()
	return b.rules, err
}

// BuiltinFile names the file that defines the built-in rule with the id
// ("builtin.toml", "families/cloud-infra.toml"), or "" for an id that is
// not a built-in rule.
func BuiltinFile(id string) string {
	b, err := builtin()
	if err != nil {
		return ""
	}
	return b.file[id]
}

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
