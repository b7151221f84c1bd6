package fingerprint

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar names the environment variable that holds a project's key. It
// wins over every key file, so CI can hold the key as a secret.
const EnvVar = "SECRETLINT_FINGERPRINT_KEY"

// FileName is the key file 'secretlint baseline' writes next to the
// baseline when the project has no key, and that scans look for there.
const FileName = ".secretlint-key"

// MinKeyLen is the shortest key accepted, in bytes. A short key can be
// guessed, and with it every secret behind a fingerprint.
const MinKeyLen = 16

// maxKeyFile caps a key file; a key is one short line.
const maxKeyFile = 4096

// Key is a project's fingerprint key. Its value never leaves the
// package: String and GoString print only its id, so a key that reaches a
// log line or an error message does not leak.
type Key struct {
	b []byte
	// Source says where the key came from (EnvVar or a file), for messages.
	Source string
}

// NewKey returns a key holding b, which must be at least MinKeyLen bytes.
func NewKey(b []byte, source string) (*Key, error) {
	if len(b) < MinKeyLen {
		return nil, fmt.Errorf("fingerprint key from %s: %d bytes, want at least %d (make one with: head -c 32 /dev/urandom | xxd -p -c 64)", source, len(b), MinKeyLen)
	}
	return &Key{b: append([]byte(nil), b...), Source: source}, nil
}

// Generate returns a new random key: 32 bytes written as 64 hex digits, the
// text of the key being its value, so the same text given in EnvVar is the
// same key.
func Generate(source string) (*Key, []byte, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, nil, fmt.Errorf("generate fingerprint key: %w", err)
	}
	text := []byte(hex.EncodeToString(raw))
	k, err := NewKey(text, source)
	return k, text, err
}

// ID names the key without revealing it: 16 hex digits of an HMAC of a
// fixed string. Baselines record it so a scan with another key (or none)
// can say why nothing matches.
func (k *Key) ID() string {
	if k == nil {
		return ""
	}
	return hex.EncodeToString(k.mac([]byte("secretlint fingerprint key id"))[:8])
}

// String describes the key by its id and source, never by its value.
func (k *Key) String() string {
	if k == nil {
		return "no fingerprint key"
	}
	return "fingerprint key " + k.ID() + " from " + k.Source
}

// GoString is String, so %#v does not print the key either.
func (k *Key) GoString() string { return k.String() }

func (k *Key) mac(data []byte) []byte {
	m := hmac.New(sha256.New, k.b)
	m.Write(data)
	return m.Sum(nil)
}

// Fingerprint returns a finding's fingerprint path:rule:hash. With a key the
// hash is 16 hex digits of HMAC-SHA256(key, rule NUL secret); with a nil key
// it is Unkeyed. Neither depends on lines or commits.
func (k *Key) Fingerprint(ruleID, path, secret string) string {
	if k == nil {
		return Unkeyed(ruleID, path, secret)
	}
	return path + ":" + ruleID + ":" + hex.EncodeToString(k.mac([]byte(ruleID + "\x00" + secret))[:8])
}

// SecretHash returns the hex HMAC-SHA256(key, secret) of a raw value: the
// same secret gives the same hash whatever rule, file, commit or target it
// was found in, so reports made with one key can be merged. It is "" for a
// nil key or an empty secret: an unkeyed hash of the full value would let
// a report confirm a guess.
func (k *Key) SecretHash(secret string) string {
	if k == nil || secret == "" {
		return ""
	}
	return hex.EncodeToString(k.mac([]byte(secret)))
}

// Unkeyed is the fingerprint secretlint writes without a key, and wrote
// before keys existed: path:rule and 16 hex digits of SHA-256(rule NUL
// secret). Anyone can compute it, so it confirms a guessed secret; it is
// kept so that old baselines still match.
func Unkeyed(ruleID, path, secret string) string {
	h := sha256.Sum256([]byte(ruleID + "\x00" + secret))
	return path + ":" + ruleID + ":" + hex.EncodeToString(h[:8])
}

// ReadFile reads a key file: its text, surrounding white space trimmed, is
// the key.
func ReadFile(path string) (*Key, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read fingerprint key: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("read fingerprint key %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("fingerprint key %s: larger than %d bytes; a key is one line", path, maxKeyFile)
	}
	return NewKey([]byte(strings.TrimSpace(string(data))), path)
}

// WriteFile generates a key and writes it to path, mode 0600. It never
// replaces an existing file: a changed key would unmatch every baseline
// written with the old one.
func WriteFile(path string) (*Key, error) {
	k, text, err := Generate(path)
	if err != nil {
		return nil, err
	}
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write fingerprint key: %w", err)
	}
	if _, err := fh.Write(append(text, '\n')); err != nil {
		fh.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write fingerprint key %s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write fingerprint key %s: %w", path, err)
	}
	return k, nil
}

// Lookup says where a project's key may be, in order of precedence.
type Lookup struct {
	// Env is the value of EnvVar; "" when unset.
	Env string
	// ConfigFile is the key_file a configuration names; it must exist.
	ConfigFile string
	// Dirs are directories where a FileName is used when present: the
	// baseline's directory, then the scan root.
	Dirs []string
}

// Resolve returns the project's key, or nil when there is none.
func Resolve(l Lookup) (*Key, error) {
	if l.Env != "" {
		return NewKey([]byte(strings.TrimSpace(l.Env)), EnvVar)
	}
	if l.ConfigFile != "" {
		return ReadFile(l.ConfigFile)
	}
	for _, d := range l.Dirs {
		p := filepath.Join(d, FileName)
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read fingerprint key: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("fingerprint key %s: not a regular file", p)
		}
		return ReadFile(p)
	}
	return nil, nil
}
