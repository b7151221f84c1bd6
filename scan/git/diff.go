package git

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// hunk is a run of consecutive lines a commit added to a file.
type hunk struct {
	Line int    // 1-based line number of the first added line
	Data []byte // the added lines, each ending in a newline
}

// fileDiff is what one commit changed in one file, as far as scanning cares.
type fileDiff struct {
	Commit    string
	Path      string // path in the commit's tree ("" when deleted)
	Blob      string // post-image blob id, when the diff names it
	Binary    bool   // git reported binary content; no hunks
	Submodule bool   // a gitlink: the content lives in another repository
	Truncated bool   // added text went past the size limit and was cut
	Hunks     []hunk
}

// diffParser reads the output of `git diff-tree --stdin -p -U0 --cc
// --full-index` (or `git diff --cached`): commit id lines followed by
// unified or combined diffs. It never trusts the input: malformed lines are
// skipped, line lengths and per-file added text are capped.
type diffParser struct {
	r *bufio.Reader
	// maxAdded caps the added bytes kept per file; 0 means no cap.
	maxAdded int64
	// onCommit is called when a commit id line starts a new commit.
	onCommit func(id string)
	// onFile is called once per file diff, after its last hunk.
	onFile func(*fileDiff)

	commit  string
	cur     *fileDiff
	added   int64
	full    bool     // the current file reached maxAdded
	arena   []byte   // the current file's added text
	spans   [][2]int // each hunk's span of the arena
	lineBuf []byte
	lineCap int
}

func newDiffParser(r io.Reader, maxAdded int64) *diffParser {
	capLine := 1 << 20
	if maxAdded > 0 && maxAdded < int64(capLine) {
		capLine = int(maxAdded) + 1
	}
	return &diffParser{r: bufio.NewReaderSize(r, 256<<10), maxAdded: maxAdded, lineCap: capLine}
}

// readLine returns the next line without its newline. Lines longer than the
// cap are cut (the rest is read and dropped) and long reports it.
func (p *diffParser) readLine() (line []byte, long bool, err error) {
	// Most lines fit in the reader's buffer: hand them out without a copy.
	if frag, err := p.r.ReadSlice('\n'); err == nil && len(frag) <= p.lineCap {
		return frag[:len(frag)-1], false, nil
	} else {
		p.lineBuf = append(p.lineBuf[:0], frag[:min(len(frag), p.lineCap)]...)
		long = len(frag) > p.lineCap
		switch {
		case err == nil:
			return bytes.TrimSuffix(p.lineBuf, []byte{'\n'}), long, nil
		case errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF) && len(p.lineBuf) > 0:
			return p.lineBuf, long, nil
		default:
			return nil, false, err
		}
	}
	for {
		frag, err := p.r.ReadSlice('\n')
		if len(p.lineBuf)+len(frag) > p.lineCap {
			room := p.lineCap - len(p.lineBuf)
			if room > 0 {
				p.lineBuf = append(p.lineBuf, frag[:room]...)
			}
			long = true
		} else {
			p.lineBuf = append(p.lineBuf, frag...)
		}
		switch {
		case err == nil:
			return bytes.TrimSuffix(p.lineBuf, []byte{'\n'}), long, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(p.lineBuf) > 0:
			return p.lineBuf, long, nil
		default:
			return nil, false, err
		}
	}
}

func isHexID(b []byte) bool {
	if len(b) != 40 && len(b) != 64 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// hunkState tracks the line counts left in the current hunk.
type hunkState struct {
	parents  int   // 1 for unified diffs, N for combined
	old      []int // lines left per parent
	newLeft  int   // result lines left
	newLine  int   // next result line number
	run      *hunk // open run of added lines
	runStart int   // where the open run starts in the arena
}

func (h *hunkState) done() bool {
	if h.newLeft > 0 {
		return false
	}
	for _, n := range h.old {
		if n > 0 {
			return false
		}
	}
	return true
}

// parse reads the whole stream. It returns the first read error other than
// io.EOF.
func (p *diffParser) parse() error {
	var hs *hunkState
	for {
		line, long, err := p.readLine()
		if err != nil {
			if hs != nil {
				p.closeRun(hs) // output cut short inside a hunk
			}
			p.flushFile()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if hs != nil {
			if p.hunkLine(hs, line, long) {
				hs = nil
			}
			continue
		}
		switch {
		case isHexID(line):
			p.flushFile()
			p.commit = string(line)
			if p.onCommit != nil {
				p.onCommit(p.commit)
			}
		case bytes.HasPrefix(line, []byte("diff --git ")):
			p.flushFile()
			p.cur = &fileDiff{Commit: p.commit, Path: gitHeaderPath(string(line[len("diff --git "):]))}
		case bytes.HasPrefix(line, []byte("diff --cc ")), bytes.HasPrefix(line, []byte("diff --combined ")):
			p.flushFile()
			name := string(line[bytes.IndexByte(line[5:], ' ')+6:])
			p.cur = &fileDiff{Commit: p.commit, Path: unquote(name)}
		case p.cur == nil:
			// Preamble or noise outside any file.
		case bytes.HasPrefix(line, []byte("@@")):
			hs = p.startHunk(line)
			if hs != nil && hs.done() {
				hs = nil
			}
		case bytes.HasPrefix(line, []byte("+++ ")):
			name := strings.TrimSuffix(string(line[4:]), "\t")
			if name == "/dev/null" {
				p.cur.Path = ""
			} else {
				p.cur.Path = stripPrefix(unquote(name), "b/")
			}
		case bytes.HasPrefix(line, []byte("rename to ")), bytes.HasPrefix(line, []byte("copy to ")):
			p.cur.Path = unquote(string(line[bytes.IndexByte(line, 't')+3:]))
		case bytes.HasPrefix(line, []byte("deleted file mode")):
			p.cur.Path = ""
		case bytes.HasPrefix(line, []byte("index ")):
			p.indexLine(string(line[6:]))
		case bytes.HasPrefix(line, []byte("new file mode 160000")), bytes.HasPrefix(line, []byte("new mode 160000")):
			p.cur.Submodule = true
		case bytes.HasPrefix(line, []byte("Binary files ")), bytes.HasPrefix(line, []byte("GIT binary patch")):
			p.cur.Binary = true
		}
	}
}

// indexLine reads "a..b mode" or "a,b..c mode": the post-image blob id and,
// from the mode, whether the entry is a submodule.
func (p *diffParser) indexLine(s string) {
	i := strings.Index(s, "..")
	if i < 0 {
		return
	}
	rest := s[i+2:]
	id, mode, _ := strings.Cut(rest, " ")
	if isHexID([]byte(id)) && strings.Trim(id, "0") != "" {
		p.cur.Blob = id
	}
	if strings.HasPrefix(mode, "160000") {
		p.cur.Submodule = true
	}
}

// startHunk parses "@@ -a,b +c,d @@" or "@@@ -a,b -c,d +e,f @@@".
func (p *diffParser) startHunk(line []byte) *hunkState {
	n := 0
	for n < len(line) && line[n] == '@' {
		n++
	}
	if n < 2 {
		return nil
	}
	end := bytes.Index(line[n:], bytes.Repeat([]byte{'@'}, n))
	if end < 0 {
		return nil
	}
	fields := strings.Fields(string(line[n : n+end]))
	hs := &hunkState{parents: n - 1}
	if len(fields) != n {
		return nil
	}
	for i, f := range fields {
		start, count, ok := parseRange(f[1:])
		if !ok {
			return nil
		}
		if i < n-1 {
			if f[0] != '-' {
				return nil
			}
			hs.old = append(hs.old, count)
			continue
		}
		if f[0] != '+' {
			return nil
		}
		hs.newLeft, hs.newLine = count, max(start, 1)
	}
	return hs
}

// parseRange parses "start,count" or "start" (count 1).
func parseRange(s string) (start, count int, ok bool) {
	a, b, has := strings.Cut(s, ",")
	start, err := strconv.Atoi(a)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	count = 1
	if has {
		if count, err = strconv.Atoi(b); err != nil || count < 0 {
			return 0, 0, false
		}
	}
	return start, count, true
}

// hunkLine consumes one line of a hunk and reports whether the hunk ended.
func (p *diffParser) hunkLine(hs *hunkState, line []byte, long bool) bool {
	if len(line) > 0 && line[0] == '\\' { // "\ No newline at end of file"
		return false
	}
	if len(line) < hs.parents {
		// Malformed: give up on this hunk.
		p.closeRun(hs)
		return true
	}
	cols, text := line[:hs.parents], line[hs.parents:]
	removed, added := false, true
	for _, c := range cols {
		switch c {
		case '-':
			removed = true
			added = false
		case '+':
		case ' ':
			added = false
		default:
			p.closeRun(hs)
			return true
		}
	}
	for i, c := range cols {
		inParent := c == '-' || (!removed && c == ' ')
		if inParent && hs.old[i] > 0 {
			hs.old[i]--
		}
	}
	if !removed {
		if added && p.cur != nil && p.cur.Path != "" {
			p.addLine(hs, text, long)
		} else {
			p.closeRun(hs)
		}
		hs.newLine++
		if hs.newLeft > 0 {
			hs.newLeft--
		}
	} else {
		p.closeRun(hs)
	}
	if hs.done() {
		p.closeRun(hs)
		return true
	}
	return false
}

func (p *diffParser) addLine(hs *hunkState, text []byte, long bool) {
	if p.full {
		return
	}
	if p.maxAdded > 0 && p.added+int64(len(text))+1 > p.maxAdded {
		p.cur.Truncated, p.full = true, true
		p.closeRun(hs)
		return
	}
	if long {
		// The line's first lineCap bytes are kept and scanned.
		p.cur.Truncated = true
	}
	if hs.run == nil {
		hs.run = &hunk{Line: hs.newLine}
		hs.runStart = len(p.arena)
	}
	p.arena = append(p.arena, text...)
	p.arena = append(p.arena, '\n')
	p.added += int64(len(text)) + 1
}

func (p *diffParser) closeRun(hs *hunkState) {
	if hs.run != nil && p.cur != nil {
		p.cur.Hunks = append(p.cur.Hunks, *hs.run)
		p.spans = append(p.spans, [2]int{hs.runStart, len(p.arena)})
	}
	hs.run = nil
}

// flushFile hands the file to onFile. Hunk data lives in an arena reused
// for the next file, so onFile must not keep it.
func (p *diffParser) flushFile() {
	if p.cur != nil {
		for i := range p.cur.Hunks {
			sp := p.spans[i]
			p.cur.Hunks[i].Data = p.arena[sp[0]:sp[1]:sp[1]]
		}
		if p.onFile != nil {
			p.onFile(p.cur)
		}
	}
	p.arena, p.spans = p.arena[:0], p.spans[:0]
	p.cur = nil
	p.added = 0
	p.full = false
}

// gitHeaderPath takes the post-image path from "a/X b/X". When the two
// names differ (a rename) the "rename to" or "+++" line corrects it.
func gitHeaderPath(s string) string {
	if strings.HasPrefix(s, `"`) {
		// Quoted names: "a/x" "b/y".
		if i := strings.Index(s, `" `); i > 0 {
			return stripPrefix(unquote(strings.TrimSpace(s[i+2:])), "b/")
		}
		return ""
	}
	if n := len(s); n >= 5 && (n-1)%2 == 0 {
		half := (n - 1) / 2
		if a, b := s[:half], s[half+1:]; strings.HasPrefix(a, "a/") && strings.HasPrefix(b, "b/") && a[2:] == b[2:] {
			return b[2:]
		}
	}
	if i := strings.LastIndex(s, " b/"); i >= 0 {
		return s[i+3:]
	}
	return ""
}

// unquote undoes git's C-style quoting of unusual path names.
func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	// git quotes bytes as octal escapes, which strconv accepts; anything
	// else is left as git printed it.
	return s[1 : len(s)-1]
}

func stripPrefix(s, prefix string) string {
	return strings.TrimPrefix(s, prefix)
}

// String describes a file diff for error messages.
func (f *fileDiff) String() string {
	return fmt.Sprintf("%s in commit %s", f.Path, f.Commit)
}
