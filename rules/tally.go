package rules

import (
	"regexp"
	"sync/atomic"
)

// Tally counts, per allowlist entry of a configuration file, how many
// times the entry suppressed something, so a run can name the entries that
// suppressed nothing. Entries are added while the configuration compiles;
// afterwards only the counters change, so the engine's workers share one
// Tally without locks. An allowlist counts into its Tally only when one of
// its entries matches, and only entries the Tally knows (built-in rules'
// allowlists are not counted).
type Tally struct {
	entries []*TallyEntry
	byRe    map[*regexp.Regexp]*TallyEntry
	byWord  map[string]*TallyEntry
}

// TallyEntry is one allowlist entry as the configuration file wrote it.
type TallyEntry struct {
	// File and Line place it (Line 0: not known).
	File string
	Line int
	// Where names the table ("allowlist", "allowlists[1]", "rules[2].allowlist")
	// and Key the key ("paths", "regexes", "stopwords", "commits", ...).
	Where, Key string
	// Text is the entry as written: a regex, a stopword or a commit, never
	// scanned text.
	Text string
	// word is what a stopword or commit is looked up by (a stopword
	// lower-cased, as it is matched).
	word string
	hits atomic.Int64
}

// Hits returns how many times the entry suppressed something.
func (e *TallyEntry) Hits() int64 { return e.hits.Load() }

// Hit counts one suppression by e; a nil e counts nothing.
func (e *TallyEntry) Hit() {
	if e != nil {
		e.hits.Add(1)
	}
}

// Add records an entry written with the regex re.
func (t *Tally) Add(e *TallyEntry, re *regexp.Regexp) {
	t.entries = append(t.entries, e)
	if t.byRe == nil {
		t.byRe = map[*regexp.Regexp]*TallyEntry{}
	}
	t.byRe[re] = e
}

// AddWord records a stopword or commit entry, looked up with Word by word
// (the form it is matched in).
func (t *Tally) AddWord(e *TallyEntry, word string) {
	e.word = word
	t.entries = append(t.entries, e)
	if t.byWord == nil {
		t.byWord = map[string]*TallyEntry{}
	}
	if _, dup := t.byWord[e.Key+"\x00"+word]; !dup {
		t.byWord[e.Key+"\x00"+word] = e
	}
}

// Include adds the entries of another tally (a base configuration's).
func (t *Tally) Include(o *Tally) {
	if o == nil {
		return
	}
	for _, e := range o.entries {
		t.entries = append(t.entries, e)
	}
	for re, e := range o.byRe {
		if t.byRe == nil {
			t.byRe = map[*regexp.Regexp]*TallyEntry{}
		}
		t.byRe[re] = e
	}
	for k, e := range o.byWord {
		if t.byWord == nil {
			t.byWord = map[string]*TallyEntry{}
		}
		if _, dup := t.byWord[k]; !dup {
			t.byWord[k] = e
		}
	}
}

// Regexp returns the entry written as re, or nil.
func (t *Tally) Regexp(re *regexp.Regexp) *TallyEntry {
	if t == nil {
		return nil
	}
	return t.byRe[re]
}

// Word returns the entry of key ("stopwords", "commits") with text, or nil.
func (t *Tally) Word(key, text string) *TallyEntry {
	if t == nil {
		return nil
	}
	return t.byWord[key+"\x00"+text]
}

// Unused returns the entries that suppressed nothing, in the order they
// were added. A stopword written in two allowlists is one entry.
func (t *Tally) Unused() []*TallyEntry {
	if t == nil {
		return nil
	}
	var out []*TallyEntry
	for _, e := range t.entries {
		if e.re() && e.Hits() == 0 {
			out = append(out, e)
		} else if !e.re() && t.byWord[e.Key+"\x00"+e.word] == e && e.Hits() == 0 {
			out = append(out, e)
		}
	}
	return out
}

func (e *TallyEntry) re() bool { return e.Key != "stopwords" && e.Key != "commits" }
