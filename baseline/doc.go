// Package baseline records known findings by fingerprint so a CI gate fails
// only on new ones, and reads .gitleaksignore files to the same end.
package baseline
