package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/secretlint/secretlint/scan"
)

// ReadJSON reads a report that WriteJSON wrote: the tool version,
// findings, errors, skips, stale baseline entries and stats. Writing the
// result with WriteJSON gives the same bytes, and the other formats render
// it as they render the scan that wrote it.
//
// Secrets come back as the report holds them: redacted unless the report
// was written with --show-secrets. Report.Secrets and Report.Rules are not
// in the JSON format and stay empty.
//
// Fields the report format does not define are an error rather than
// dropped, so a report that reads without error is read whole.
func ReadJSON(r io.Reader) (*Report, error) {
	return readJSON("", r)
}

// ReadJSONFile reads the JSON report in the named file; errors name it.
func ReadJSONFile(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	defer f.Close()
	return readJSON(path, f)
}

// readJSON reads a report from r; name, when set, says where it came from.
func readJSON(name string, r io.Reader) (*Report, error) {
	what := "read JSON report"
	if name != "" {
		what += " " + name
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	rep, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return rep, nil
}

// jsonInput is jsonReport as read: the same fields, with the version and
// tool kept so they can be checked.
type jsonInput struct {
	Version     *string        `json:"version"`
	Tool        string         `json:"tool"`
	ToolVersion string         `json:"tool_version"`
	Findings    []scan.Finding `json:"findings"`
	Errors      []jsonError    `json:"errors"`
	Skipped     []scan.Skip    `json:"skipped"`
	Stale       []string       `json:"stale_baseline"`
	StaleAllow  []string       `json:"stale_allowlist"`
	Stats       Stats          `json:"stats"`
	Shard       *Shard         `json:"shard"`
	Audit       *Audit         `json:"audit"`
}

func decodeJSON(data []byte) (*Report, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in jsonInput
	if err := dec.Decode(&in); err != nil {
		return nil, jsonPosError(data, dec.InputOffset(), err)
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("%s: data after the report", position(data, int64(len(data)-len(rest))))
	}
	switch {
	case in.Version == nil:
		return nil, errors.New(`not a secretlint JSON report: no "version"`)
	case *in.Version != Version:
		return nil, fmt.Errorf("report format version %q, this secretlint reads %q", *in.Version, Version)
	case in.Tool != Tool:
		return nil, fmt.Errorf("report written by %q, not %s", in.Tool, Tool)
	}
	rep := &Report{
		ToolVersion:    in.ToolVersion,
		Findings:       in.Findings,
		Skips:          in.Skipped,
		Stale:          in.Stale,
		StaleAllowlist: in.StaleAllow,
		Stats:          in.Stats,
		Shard:          in.Shard,
		Audit:          in.Audit,
	}
	for _, e := range in.Errors {
		rep.Errors = append(rep.Errors, &scan.InputError{Input: e.Input, Err: errors.New(e.Error)})
	}
	// A report whose findings carry verifications came from a --verify
	// run: its CSV and summary keep their verification parts.
	for _, f := range rep.Findings {
		rep.Verified = rep.Verified || f.Verification != nil
	}
	return rep, nil
}

// jsonPosError adds the line and column of a decoding error, and the field
// for a value of the wrong type. The decoder's offsets count the bytes read
// up to and including the bad one; off, where it stopped, stands in for
// errors that carry none.
func jsonPosError(data []byte, off int64, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%s: %w", position(data, syn.Offset-1), err)
	case errors.As(err, &typ):
		if field := jsonField(typ.Field); field != "" {
			return fmt.Errorf("%s: field %s: %s value where %s belongs", position(data, typ.Offset-1), field, typ.Value, typ.Type)
		}
		return fmt.Errorf("%s: the report is a JSON %s, not an object", position(data, typ.Offset-1), typ.Value)
	case errors.Is(err, io.EOF):
		return errors.New("empty input")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("input ends inside the report")
	}
	// An unknown field or a bad severity: the decoder stopped near it.
	return fmt.Errorf("%s: %s", position(data, off), strings.TrimPrefix(err.Error(), "json: "))
}

// jsonField turns the decoder's field path (findings.Location.line) into
// the report's (findings.line): embedded Go struct names are not in JSON.
func jsonField(path string) string {
	var keep []string
	for _, p := range strings.Split(path, ".") {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ".")
}

// position turns a byte offset into "line L, column C" (1-based, columns
// in bytes).
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
