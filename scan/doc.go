// Package scan is the shared scanning core: sources turn their input into
// Fragments, the Engine runs a rule set over them (decoding base64, hex and
// percent-encoded text on the way) and returns Findings, and a Collector
// gathers findings, input errors and statistics for the report.
package scan
