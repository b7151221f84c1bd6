// Package report renders scan results: text for people, and JSON, SARIF,
// JUnit and CSV for machines. Each format is one file with one writer
// function. Secrets are redacted unless Options.ShowSecrets is set.
package report
