// Package inventory reads a project's secrets inventory, secrets.toml: one
// [[secret]] table per credential naming its owner, store and location,
// environments, delivery, rotation, TTL, scope, consumers and a SHA-256
// fingerprint of the value (never the value itself).
//
// Load decodes the file, rejects unknown keys and validates every entry,
// reporting each problem with the file, line and fix. Evaluating entries
// against a rotation and least-privilege policy is the policy package's job.
package inventory
