// Package report renders scan results: text for people, and JSON, SARIF,
// JUnit and CSV for machines. Each format is one file with one writer
// function. Secrets are redacted unless Options.ShowSecrets is set.
// ReadJSON reads a JSON report back into the Report it was written from, so
// reports can be merged or rendered again in another format.
package report
