package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// FileName is the inventory file looked for at a project root.
const FileName = "secrets.toml"

// FingerprintPrefix starts every fingerprint: the hash algorithm.
const FingerprintPrefix = "sha256:"

// Stores are the secret stores an entry may name in store.
var Stores = []string{
	"aws-secrets-manager", "aws-ssm", "vault", "k8s", "gcp-secret-manager",
	"azure-key-vault", "ci", "truss", "env-file", "1password", "doppler", "other",
}

// Deliveries are the ways a secret may reach its workload.
var Deliveries = []string{"identity", "file", "sidecar", "env", "ci-masked"}

// Access levels a consumer may hold.
const (
	AccessRead  = "read"
	AccessWrite = "write"
)

// Inventory is a loaded secrets inventory.
type Inventory struct {
	// Path is the file the inventory was read from, as given.
	Path    string
	Entries []Entry
}

// Entry is one inventoried secret.
type Entry struct {
	Name  string
	Owner string
	// Store is where the value lives (one of Stores); Location is its
	// address there: an ARN, a Vault path, a namespace/name, a key.
	Store    string
	Location string
	// Aliases are other names the project uses for this secret (an env var,
	// a Kubernetes Secret name, a CI secret name).
	Aliases      []string
	Environments []string
	Delivery     string
	// RotationDays is the rotation interval; 0 when not set.
	RotationDays int
	// LastRotated is the date of the last rotation (UTC midnight); zero when
	// not set.
	LastRotated time.Time
	// TTL is the lifetime of issued credentials for short-lived secrets; 0
	// when not set.
	TTL       time.Duration
	Scope     []string
	Consumers []Consumer
	// Fingerprint is "sha256:" and the hex SHA-256 of the value, lower case.
	Fingerprint string
	// Line is the 1-based line of the entry's [[secret]] header.
	Line int
}

// Consumer is a workload or person that uses a secret.
type Consumer struct {
	Name   string
	Access string // read or write
}

// Fingerprint returns the inventory fingerprint of a value: "sha256:" and
// the lower-case hex SHA-256.
func Fingerprint(value []byte) string {
	h := sha256.Sum256(value)
	return FingerprintPrefix + hex.EncodeToString(h[:])
}

// ByFingerprint returns the entry whose fingerprint equals fp ("sha256:…"
// or the bare hex digest), or nil.
func (inv *Inventory) ByFingerprint(fp string) *Entry {
	fp = strings.ToLower(fp)
	if !strings.HasPrefix(fp, FingerprintPrefix) {
		fp = FingerprintPrefix + fp
	}
	for i := range inv.Entries {
		if inv.Entries[i].Fingerprint != "" && inv.Entries[i].Fingerprint == fp {
			return &inv.Entries[i]
		}
	}
	return nil
}

// Names returns the names an entry answers to: its name and aliases.
func (e *Entry) Names() []string {
	return append([]string{e.Name}, e.Aliases...)
}

// KeyedStores name a secret by a key the project itself uses, so an
// entry's location in one of them is also a name it answers to: a CI
// secret's name, a Truss secret's key, an env-file key, a Kubernetes
// Secret's name, the last element of a Vault path.
var KeyedStores = []string{"ci", "truss", "env-file", "k8s", "vault"}

// LocationName returns the name an entry's location gives it in a keyed
// store (see KeyedStores), or "" when the store or location names none:
// the location itself for ci, truss and env-file (after a "github:",
// "baseten:" or ".env:" prefix naming the service or file), the name of a Kubernetes "namespace/name" or "name", the
// last element of a Vault path.
func (e *Entry) LocationName() string {
	loc := strings.TrimSpace(e.Location)
	if loc == "" || strings.EqualFold(loc, "TODO") {
		return ""
	}
	switch e.Store {
	case "ci", "truss", "env-file":
		// A prefix names the file or the service: github:NAME,
		// baseten:name, .env:NAME.
		return loc[strings.LastIndexByte(loc, ':')+1:]
	case "k8s":
		if strings.Count(loc, "/") > 1 {
			return "" // not namespace/name
		}
		_, name, ok := strings.Cut(loc, "/")
		if !ok {
			return loc
		}
		return name
	case "vault":
		loc = strings.TrimRight(loc, "/")
		return loc[strings.LastIndexByte(loc, '/')+1:]
	}
	return ""
}

// LocationNamespace returns the namespace of a Kubernetes location
// ("namespace/name"), or "".
func (e *Entry) LocationNamespace() string {
	if e.Store != "k8s" {
		return ""
	}
	loc := strings.TrimSpace(e.Location)
	if strings.Count(loc, "/") != 1 {
		return ""
	}
	ns, _, _ := strings.Cut(loc, "/")
	return ns
}

// IsARN reports whether the entry's location is an AWS ARN.
func (e *Entry) IsARN() bool { return strings.HasPrefix(e.Location, "arn:") }
