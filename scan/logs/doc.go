// Package logs scans logs for leaked credentials: files, directories of
// logs, rotated .gz files and standard input, read once, line by line, in
// bounded memory, optionally following a growing file like tail -F.
//
// Log text is prepared before the rules see it: ANSI colour and cursor
// sequences (CI logs) are removed and JSON string escapes (\" \\ \/ \uXXXX)
// are resolved, so a token inside an escaped field of a JSON-lines record
// is matched whole; positions are mapped back to the raw bytes, so line and
// column point into the file as written. Log-specific rules find bearer
// tokens and HTTP Basic credentials however a client prints its headers,
// and values a CI system already masked (***) are never reported.
//
// Redactor writes a copy of a log with every secret replaced by
// [REDACTED:<rule-id>] and every other byte unchanged.
package logs
