package scan

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/secretlint/secretlint/fingerprint"
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

// Origin says where a fragment came from. Sources fill what applies; the
// engine copies it into every finding the fragment gives (ApplyOrigin).
type Origin struct {
	Source string // one of the Source constants
	Path   string // file path; archive members as archive.zip!inner/path

	GitInfo
	ImageInfo
}

// Fragment is a piece of input to scan.
type Fragment struct {
	Origin *Origin
	Data   []byte
	// Line is the 1-based line number of Data's first byte within its input;
	// 0 means 1. Streaming sources set it for later chunks.
	Line int
	// Derived marks text made from input already scanned (an extractor's
	// decoded values): it is not counted again in Scanned.
	Derived bool
}

// InventoryRef names the inventory entry whose fingerprint a finding's secret
// matched.
type InventoryRef struct {
	Name  string `json:"name"`
	Owner string `json:"owner,omitempty"`
	Store string `json:"store,omitempty"`
}

// Location is where in its input a finding is: the path and the span of
// the match, 1-based, columns in bytes, the end inclusive.
type Location struct {
	// Path is the file; archive members as archive.zip!inner/path, "-" for
	// stdin, the path inside the image for image findings.
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

// GitInfo is what a git source knows about a finding: the commit that
// introduced the secret and, after attribution, how widely the history
// carries it. Every field is omitted from reports when empty.
type GitInfo struct {
	Commit string `json:"commit,omitempty"`
	Author string `json:"author,omitempty"`
	Email  string `json:"email,omitempty"`
	// Date is the commit's author date, RFC 3339 in UTC.
	Date string `json:"date,omitempty"`
	// CommitTitle is the commit's summary line.
	CommitTitle string `json:"commit_message,omitempty"`
	// Commits and Paths count the commits and paths that still carry the secret.
	Commits int `json:"commits,omitempty"`
	Paths   int `json:"paths,omitempty"`
	// InHead says whether the checked-out head still has the secret; nil
	// when unknown.
	InHead *bool `json:"in_head,omitempty"`
}

// ImageInfo is what an image source knows about a finding: which image,
// which layer and which build step. Every field is omitted from reports
// when empty.
type ImageInfo struct {
	Image    string `json:"image,omitempty"`    // the reference or file the user gave
	Manifest string `json:"manifest,omitempty"` // manifest digest
	Layer    string `json:"layer,omitempty"`    // layer digest; empty for config and history
	// LayerIndex is 0-based, -1 for the image config and history; nil
	// outside images, so that layer 0 is still reported.
	LayerIndex *int   `json:"layer_index,omitempty"`
	CreatedBy  string `json:"created_by,omitempty"` // the history entry (build step) that created the layer
	Deleted    bool   `json:"deleted,omitempty"`    // a later layer deleted or overwrote the file
	DeletedBy  string `json:"deleted_by,omitempty"` // digest of the layer that deleted it
}

// Finding is one reported problem: a leaked secret or a policy violation.
// It is the rule's verdict, a Location, and the blocks of what the source
// knows (GitInfo, ImageInfo); their fields are promoted, so f.Commit and
// f.Path read as before. The JSON field names and their order are part of
// the public report format (docs/report.md): encoding/json flattens the
// embedded blocks in place, which is why they sit where they do.
type Finding struct {
	RuleID      string         `json:"rule_id"`
	Description string         `json:"description"`
	Severity    rules.Severity `json:"severity"`
	Source      string         `json:"source"`
	Location
	// Secret is the raw value; reports redact it unless told otherwise.
	Secret      string `json:"secret"`
	Fingerprint string `json:"fingerprint"`
	Hint        string `json:"hint,omitempty"`
	// Message adds detail for policy findings (what is wrong, with dates).
	Message string `json:"message,omitempty"`
	// Encoding names the decoding that revealed the secret: base64, hex, percent.
	Encoding string `json:"encoding,omitempty"`
	// Context is ContextTest for a finding in a test fixture path
	// (testdata/, tests/, *_test.go, ...), so triage can tell fixtures from
	// production files; empty otherwise.
	Context string `json:"context,omitempty"`

	GitInfo
	ImageInfo

	Inventory *InventoryRef `json:"inventory,omitempty"`

	// SecretHash is the hex HMAC-SHA256 of the raw value under the
	// project's fingerprint key, the same for the same secret in any file
	// or target; empty without a key (fingerprint.Key.SecretHash).
	SecretHash string `json:"secret_hash,omitempty"`

	// Verification is what the provider said about the credential when the
	// run was asked to check it (--verify); nil otherwise, and then absent
	// from every report.
	Verification *Verification `json:"verification,omitempty"`
}

// Verification statuses.
const (
	// VerifyLive: the provider accepted the credential.
	VerifyLive = "live"
	// VerifyInvalid: the provider rejected it (revoked, expired, wrong).
	VerifyInvalid = "invalid"
	// VerifyUnknown: the provider could not be reached or its answer did
	// not settle it (rate limited, a redirect, a missing partner part).
	VerifyUnknown = "unknown"
	// VerifyError: the check itself failed (a request that could not be
	// built, an answer that could not be read).
	VerifyError = "error"
)

// Verification is the provider's answer on one credential.
type Verification struct {
	Status string `json:"status"`
	// Identity is whose credential it is, as the provider names it
	// (account and arn, login, team and user, organisation).
	Identity map[string]string `json:"identity,omitempty"`
	// Scopes are the permissions the provider lists for it.
	Scopes []string `json:"scopes,omitempty"`
	// Detail says why a result is not live or invalid, or what was checked.
	Detail string `json:"detail,omitempty"`
	// CheckedAt is when the provider answered, RFC 3339 in UTC.
	CheckedAt string `json:"checked_at"`
}

// Live reports whether the provider accepted the credential.
func (v *Verification) Live() bool { return v != nil && v.Status == VerifyLive }

// SecretSHA256 returns the hex SHA-256 of the raw secret, the form inventory
// fingerprints use (users compute them with sha256sum). It is never
// written to a report: an unkeyed hash of the value confirms a guess.
func (f *Finding) SecretSHA256() string {
	h := sha256.Sum256([]byte(f.Secret))
	return hex.EncodeToString(h[:])
}

// Fingerprint computes a finding's stable identity without a key: rule,
// path and an unkeyed hash of the secret (fingerprint.Unkeyed). It does not
// depend on line numbers or commits, so edits above the line, rebases and
// squash merges keep it. Findings of a scan with a project key use
// Engine.Fingerprint instead; baselines match both forms.
func Fingerprint(ruleID, path, secret string) string {
	return fingerprint.Unkeyed(ruleID, path, secret)
}

// ApplyOrigin copies the origin's source, path and blocks into the finding.
func (f *Finding) ApplyOrigin(o *Origin) {
	if o == nil {
		return
	}
	f.Source, f.Path = o.Source, o.Path
	f.GitInfo, f.ImageInfo = o.GitInfo, o.ImageInfo
	// The pointers are the origin's, shared by every finding of the
	// fragment; give each finding its own so that one can be changed alone.
	if o.InHead != nil {
		f.InHead = new(*o.InHead)
	}
	if o.LayerIndex != nil {
		f.LayerIndex = new(*o.LayerIndex)
	}
}
