// Package fingerprint computes the hashes that identify a secret in reports
// and baselines without revealing it: the secret part of a finding's
// fingerprint and its secret_hash. With a per-project Key both are HMACs,
// so whoever holds a report cannot test guessed passwords against them;
// without one the fingerprint falls back to the unkeyed SHA-256 prefix
// secretlint has always written, and there is no secret_hash.
package fingerprint
