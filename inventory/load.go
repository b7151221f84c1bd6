package inventory

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// MaxFileSize bounds the inventory file read into memory.
const MaxFileSize = 8 << 20

// Load reads and validates an inventory file.
func Load(path string) (*Inventory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read inventory: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read inventory %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, &Error{Problems: []*Problem{{Path: path,
			Msg: fmt.Sprintf("file is larger than %d MB", MaxFileSize>>20),
			Fix: "an inventory holds names and fingerprints only; check that the right file was given"}}}
	}
	return Parse(path, data)
}

// rawFile is the TOML shape of secrets.toml. Entry fields are decoded as
// any so that type mistakes are reported by this package, with the entry's
// own line, rather than by the decoder with the last table's line.
type rawFile struct {
	Secret []rawEntry `toml:"secret"`
}

type rawEntry struct {
	Name         any `toml:"name"`
	Owner        any `toml:"owner"`
	Store        any `toml:"store"`
	Location     any `toml:"location"`
	Aliases      any `toml:"aliases"`
	Environments any `toml:"environments"`
	Delivery     any `toml:"delivery"`
	RotationDays any `toml:"rotation_days"`
	LastRotated  any `toml:"last_rotated"`
	TTL          any `toml:"ttl"`
	Scope        any `toml:"scope"`
	Consumers    any `toml:"consumers"`
	Fingerprint  any `toml:"fingerprint"`
	Description  any `toml:"description"`
}

// entryKeys are the keys a [[secret]] table may hold, for suggestions.
var entryKeys = []string{"name", "owner", "store", "location", "aliases", "environments",
	"delivery", "rotation_days", "last_rotated", "ttl", "scope", "consumers", "fingerprint", "description"}

var consumerKeys = []string{"name", "access"}

var hexFingerprint = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// parser collects problems while converting one file.
type parser struct {
	path  string
	li    *lineIndex
	probs []*Problem
}

func (p *parser) add(line int, fix, format string, args ...any) {
	p.probs = append(p.probs, &Problem{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...), Fix: fix})
}

// Parse decodes and validates inventory bytes; path names the file in
// problems. The error, when not nil, is an *Error listing every problem.
func Parse(path string, data []byte) (*Inventory, error) {
	p := &parser{path: path}
	var raw rawFile
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		p.decodeError(err)
		return nil, &Error{Problems: p.probs}
	}
	p.li = indexLines(string(data))
	var reported []string
	for _, k := range md.Undecoded() {
		if len(k) >= 2 && k[0] == "secret" && k[1] == "consumers" {
			continue // checked with the consumers themselves
		}
		if invUnder(k.String(), reported) {
			continue // a key inside an unknown table already reported
		}
		reported = append(reported, k.String())
		p.unknownKey(k)
	}
	inv := &Inventory{Path: path}
	for i := range raw.Secret {
		inv.Entries = append(inv.Entries, p.entry(i, &raw.Secret[i]))
	}
	p.duplicates(inv)
	if len(p.probs) > 0 {
		sort.SliceStable(p.probs, func(i, j int) bool { return p.probs[i].Line < p.probs[j].Line })
		return nil, &Error{Problems: p.probs}
	}
	return inv, nil
}

var lineInMsg = regexp.MustCompile(`line (\d+)`)

func (p *parser) decodeError(err error) {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		fix := "correct the TOML syntax on that line (strings are quoted; see docs/inventory.md)"
		if strings.Contains(strings.ToLower(pe.Message), "date") || strings.Contains(strings.ToLower(pe.Message), "time") {
			fix = "write dates unquoted as YYYY-MM-DD, e.g. last_rotated = 2026-08-01"
		}
		p.add(pe.Position.Line, fix, "invalid TOML: %s", pe.Message)
		return
	}
	line := 0
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	if m := lineInMsg.FindStringSubmatchIndex(msg); m != nil {
		line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = strings.TrimSpace(msg[:m[0]] + msg[m[1]:]) // the line is reported in front
	}
	p.add(line, "each secret is a [[secret]] table; see docs/inventory.md", "invalid inventory: %s", msg)
}

func (p *parser) unknownKey(k toml.Key) {
	line := p.li.anywhere(k)
	name := k[len(k)-1]
	where := "at the top level"
	known := []string{"secret"}
	if len(k) >= 2 && k[0] == "secret" {
		where = "in a [[secret]] table"
		known = entryKeys
	}
	fix := "remove it"
	if s := closest(name, known); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	} else if where == "in a [[secret]] table" {
		fix = "remove it; known keys are " + strings.Join(entryKeys, ", ")
	} else {
		fix = "remove it; each secret is a [[secret]] table"
	}
	p.add(line, fix, "unknown key %q %s", k.String(), where)
}

func (p *parser) entry(i int, r *rawEntry) Entry {
	e := Entry{Line: p.li.table(i)}
	label := fmt.Sprintf("secret #%d", i+1)
	e.Name = p.str(i, label, "name", r.Name)
	if e.Name != "" {
		label = fmt.Sprintf("secret %q", e.Name)
	} else if r.Name == nil {
		p.add(e.Line, `add name = "…", the name the secret is known by`, "%s has no name", label)
	} else {
		p.add(p.li.key(i, "name"), `give it a non-empty name`, "%s has an empty name", label)
	}
	e.Owner = p.str(i, label, "owner", r.Owner)
	e.Store = p.str(i, label, "store", r.Store)
	if e.Store != "" && !slices.Contains(Stores, e.Store) {
		p.add(p.li.key(i, "store"), "use one of "+strings.Join(Stores, ", "), "%s: unknown store %q", label, e.Store)
	}
	e.Location = p.str(i, label, "location", r.Location)
	e.Aliases = p.strs(i, label, "aliases", r.Aliases)
	e.Environments = p.strs(i, label, "environments", r.Environments)
	e.Delivery = p.str(i, label, "delivery", r.Delivery)
	if e.Delivery != "" && !slices.Contains(Deliveries, e.Delivery) {
		p.add(p.li.key(i, "delivery"), "use one of "+strings.Join(Deliveries, ", "), "%s: unknown delivery %q", label, e.Delivery)
	}
	e.RotationDays = p.rotation(i, label, r.RotationDays)
	e.LastRotated = p.date(i, label, r.LastRotated)
	e.TTL = p.ttl(i, label, r.TTL)
	e.Scope = p.strs(i, label, "scope", r.Scope)
	e.Consumers = p.consumers(i, label, r.Consumers)
	e.Fingerprint = p.fingerprint(i, label, r.Fingerprint)
	p.str(i, label, "description", r.Description)
	return e
}

func (p *parser) str(i int, label, key string, v any) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.add(p.li.key(i, key), fmt.Sprintf(`quote it: %s = "…"`, key), "%s: %s must be a string, not %s", label, key, tomlType(v))
		return ""
	}
	return strings.TrimSpace(s)
}

func (p *parser) strs(i int, label, key string, v any) []string {
	if v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		if _, isStr := v.(string); isStr {
			p.add(p.li.key(i, key), fmt.Sprintf(`write a list: %s = ["…"]`, key), "%s: %s must be a list of strings, not a single string", label, key)
		} else {
			p.add(p.li.key(i, key), fmt.Sprintf(`write a list: %s = ["…"]`, key), "%s: %s must be a list of strings, not %s", label, key, tomlType(v))
		}
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		s, ok := x.(string)
		if !ok || strings.TrimSpace(s) == "" {
			p.add(p.li.key(i, key), "every item is a non-empty quoted string", "%s: %s holds %s", label, key, describeItem(x))
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func describeItem(x any) string {
	if s, ok := x.(string); ok && strings.TrimSpace(s) == "" {
		return "an empty string"
	}
	return "a " + tomlType(x)
}

func (p *parser) rotation(i int, label string, v any) int {
	if v == nil {
		return 0
	}
	n, ok := v.(int64)
	if !ok || n <= 0 || n > 3650 {
		p.add(p.li.key(i, "rotation_days"), "write a whole number of days between 1 and 3650, e.g. rotation_days = 90",
			"%s: rotation_days must be a positive number of days", label)
		return 0
	}
	return int(n)
}

func (p *parser) date(i int, label string, v any) time.Time {
	if v == nil {
		return time.Time{}
	}
	line := p.li.key(i, "last_rotated")
	const fix = "write an unquoted TOML date, e.g. last_rotated = 2026-08-01"
	switch t := v.(type) {
	case time.Time:
		y, m, d := t.Date()
		if y < 1970 || y > 9999 {
			p.add(line, fix, "%s: last_rotated year %d is out of range", label, y)
			return time.Time{}
		}
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	case string:
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(t)); err == nil {
			p.add(line, "remove the quotes: "+fix, "%s: last_rotated is a quoted string, not a date", label)
		} else {
			p.add(line, fix, "%s: last_rotated %q is not a date", label, clip(t))
		}
	default:
		p.add(line, fix, "%s: last_rotated must be a date, not %s", label, tomlType(v))
	}
	return time.Time{}
}

func (p *parser) ttl(i int, label string, v any) time.Duration {
	if v == nil {
		return 0
	}
	line := p.li.key(i, "ttl")
	const fix = `write a duration such as ttl = "15m", "12h" or "7d"`
	switch t := v.(type) {
	case string:
		d, err := ParseDuration(t)
		if err != nil || d <= 0 {
			p.add(line, fix, "%s: ttl %q is not a positive duration", label, clip(t))
			return 0
		}
		return d
	case int64:
		if t <= 0 || t > int64(100*365*24*3600) {
			p.add(line, fix, "%s: ttl must be a positive number of seconds", label)
			return 0
		}
		return time.Duration(t) * time.Second
	}
	p.add(line, fix, "%s: ttl must be a duration string, not %s", label, tomlType(v))
	return 0
}

// ParseDuration reads a duration as Go writes it ("90m", "12h30m") or a
// whole number of days ("7d").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 36500 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func (p *parser) consumers(i int, label string, v any) []Consumer {
	if v == nil {
		return nil
	}
	line := p.li.key(i, "consumers")
	const fix = `write consumers = [{ name = "serving", access = "read" }]`
	var tables []map[string]any
	switch t := v.(type) {
	case []map[string]any:
		tables = t
	case []any:
		for _, x := range t {
			m, ok := x.(map[string]any)
			if !ok {
				p.add(line, fix, "%s: consumers holds %s, not a table", label, describeItem(x))
				continue
			}
			tables = append(tables, m)
		}
	default:
		p.add(line, fix, "%s: consumers must be a list of tables, not %s", label, tomlType(v))
		return nil
	}
	var out []Consumer
	for _, m := range tables {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !slices.Contains(consumerKeys, k) {
				fix := `a consumer has name and access only`
				if s := closest(k, consumerKeys); s != "" {
					fix = fmt.Sprintf("did you mean %q?", s)
				}
				p.add(line, fix, "%s: unknown consumer key %q", label, k)
			}
		}
		name, _ := m["name"].(string)
		name = strings.TrimSpace(name)
		if name == "" {
			p.add(line, fix, "%s: a consumer has no name", label)
			continue
		}
		c := Consumer{Name: name, Access: AccessRead}
		if a, present := m["access"]; present {
			s, _ := a.(string)
			if s != AccessRead && s != AccessWrite {
				p.add(line, `access is "read" or "write"`, "%s: consumer %q has access %s", label, name, describeAccess(a))
				continue
			}
			c.Access = s
		}
		out = append(out, c)
	}
	return out
}

func describeAccess(a any) string {
	if s, ok := a.(string); ok {
		return strconv.Quote(clip(s))
	}
	return "of type " + tomlType(a)
}

func (p *parser) fingerprint(i int, label string, v any) string {
	if v == nil {
		return ""
	}
	line := p.li.key(i, "fingerprint")
	const fix = "run `secretlint inventory fingerprint -`, type the value on stdin, and paste the sha256:… it prints"
	s, ok := v.(string)
	if !ok {
		p.add(line, fix, "%s: fingerprint must be a string", label)
		return ""
	}
	fp := strings.ToLower(strings.TrimSpace(s))
	if hexFingerprint.MatchString(fp) {
		return fp
	}
	// Never quote the value: a wrong fingerprint is often the secret itself.
	switch {
	case len(fp) == 64 && isHex(fp):
		p.add(line, "prefix it with sha256:", "%s: fingerprint lacks the sha256: prefix", label)
	case strings.HasPrefix(fp, FingerprintPrefix):
		p.add(line, fix, "%s: fingerprint must be sha256: followed by 64 hex digits (it has %d characters after the prefix)", label, len(fp)-len(FingerprintPrefix))
	default:
		p.add(line, fix+"; if a raw value was pasted here, rotate it", "%s: fingerprint is not sha256: followed by 64 hex digits (value not shown)", label)
	}
	return ""
}

// duplicates reports names and aliases used by more than one entry.
func (p *parser) duplicates(inv *Inventory) {
	type first struct {
		entry string
		line  int
	}
	seen := map[string]first{}
	for _, e := range inv.Entries {
		if e.Name == "" {
			continue
		}
		own := map[string]bool{}
		for j, n := range e.Names() {
			k := Normalize(n)
			if own[k] {
				continue
			}
			own[k] = true
			if f, dup := seen[k]; dup {
				what := "name"
				if j > 0 {
					what = "alias"
				}
				p.add(e.Line, "give each secret one [[secret]] table; rename one or merge them (names compare case-insensitively, with - . / _ alike)",
					"duplicate secret %s %q: already used by secret %q at line %d", what, n, f.entry, f.line)
				continue
			}
			seen[k] = first{entry: e.Name, line: e.Line}
		}
	}
}

func invUnder(key string, parents []string) bool {
	for _, p := range parents {
		if strings.HasPrefix(key, p+".") {
			return true
		}
	}
	return false
}

// Normalize folds a secret name for comparison: lower case, with '-', '.',
// '/' and spaces read as '_'. HF_TOKEN, hf-token and hf.token are one name.
func Normalize(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '.', '/', ' ':
			return '_'
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, strings.TrimSpace(name))
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case time.Time:
		return "date"
	case []any, []map[string]any:
		return "array"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", v)
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// clip shortens a value quoted in a problem, so a pasted blob cannot flood
// the terminal.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// closest returns the known word within edit distance 2 of w, or "".
func closest(w string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(w), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
