package scan

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/secretlint/secretlint/rules"
)

// Source kinds, as reported in Finding.Source.
const (
	SourceFile   = "file"
	SourceStdin  = "stdin"
	SourceGit    = "git"
	SourceImage  = "image"
	SourceLog    = "log"
	SourcePolicy = "policy"
)

// Origin says where a fragment came from. Sources fill what applies.
type Origin struct {
	Source string // one of the Source constants
	Path   string // file path; archive members as archive.zip!inner/path

	// Git.
	Commit  string
	Author  string
	Email   string
	Date    time.Time
	Message string // commit summary line

	// Image.
	Image      string // the reference or file the user gave
	Manifest   string // manifest digest
	Layer      string // layer digest; empty for config
	LayerIndex int    // 0-based; -1 for config and history
	CreatedBy  string // history entry that created the layer
	Deleted    bool   // a later layer deleted or overwrote the file
	DeletedBy  string // digest of the layer that deleted it
}

// Fragment is a piece of input to scan.
type Fragment struct {
	Origin *Origin
	Data   []byte
	// Line is the 1-based line number of Data's first byte within its input;
	// 0 means 1. Streaming sources set it for later chunks.
	Line int
}

// InventoryRef names the inventory entry whose fingerprint a finding's secret
// matched.
type InventoryRef struct {
	Name  string `json:"name"`
	Owner string `json:"owner,omitempty"`
	Store string `json:"store,omitempty"`
}

// Finding is one reported problem: a leaked secret or a policy violation.
// The JSON field names are part of the public report format (docs/report.md).
type Finding struct {
	RuleID      string         `json:"rule_id"`
	Description string         `json:"description"`
	Severity    rules.Severity `json:"severity"`
	Source      string         `json:"source"`
	Path        string         `json:"path"`
	Line        int            `json:"line"`
	Column      int            `json:"column"`
	EndLine     int            `json:"end_line"`
	EndColumn   int            `json:"end_column"`
	// Secret is the raw value; reports redact it unless told otherwise.
	Secret      string `json:"secret"`
	Fingerprint string `json:"fingerprint"`
	Hint        string `json:"hint,omitempty"`
	// Message adds detail for policy findings (what is wrong, with dates).
	Message string `json:"message,omitempty"`
	// Encoding names the decoding that revealed the secret: base64, hex, percent.
	Encoding string `json:"encoding,omitempty"`

	Commit      string `json:"commit,omitempty"`
	Author      string `json:"author,omitempty"`
	Email       string `json:"email,omitempty"`
	Date        string `json:"date,omitempty"`
	CommitTitle string `json:"commit_message,omitempty"`
	// Commits and Paths count the commits and paths that still carry the secret.
	Commits int   `json:"commits,omitempty"`
	Paths   int   `json:"paths,omitempty"`
	InHead  *bool `json:"in_head,omitempty"`

	Image      string `json:"image,omitempty"`
	Manifest   string `json:"manifest,omitempty"`
	Layer      string `json:"layer,omitempty"`
	LayerIndex *int   `json:"layer_index,omitempty"`
	CreatedBy  string `json:"created_by,omitempty"`
	Deleted    bool   `json:"deleted,omitempty"`
	DeletedBy  string `json:"deleted_by,omitempty"`

	Inventory *InventoryRef `json:"inventory,omitempty"`
}

// SecretHash returns the hex SHA-256 of the raw secret, the form inventory
// fingerprints use.
func (f *Finding) SecretHash() string {
	h := sha256.Sum256([]byte(f.Secret))
	return hex.EncodeToString(h[:])
}

// Fingerprint computes a finding's stable identity: rule, path and a hash of
// the secret. It does not depend on line numbers or commits, so edits above
// the line, rebases and squash merges keep it.
func Fingerprint(ruleID, path, secret string) string {
	h := sha256.Sum256([]byte(ruleID + "\x00" + secret))
	return path + ":" + ruleID + ":" + hex.EncodeToString(h[:8])
}

// ApplyOrigin copies the origin's fields into the finding.
func (f *Finding) ApplyOrigin(o *Origin) {
	if o == nil {
		return
	}
	f.Source, f.Path = o.Source, o.Path
	f.Commit, f.Author, f.Email, f.CommitTitle = o.Commit, o.Author, o.Email, o.Message
	if !o.Date.IsZero() {
		f.Date = o.Date.UTC().Format(time.RFC3339)
	}
	f.Image, f.Manifest, f.Layer, f.CreatedBy = o.Image, o.Manifest, o.Layer, o.CreatedBy
	f.Deleted, f.DeletedBy = o.Deleted, o.DeletedBy
	if o.Image != "" {
		li := o.LayerIndex
		f.LayerIndex = &li
	}
}
