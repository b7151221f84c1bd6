// Package pipeline runs a scan from its sources to a report, the same way
// for every front end: sources feed the engine into one collector, the
// checks (hygiene policy, inventory cross-check) add their findings,
// enrichers add facts to what was found (git attribution, inventory
// owners), suppressors drop what the project has accepted (.gitleaksignore,
// allowlisted paths, inline allow comments and fail filters, the baseline),
// a verifier, when asked for, checks with the providers whether the
// remaining credentials still work, and the result is one sorted report.Report with its statistics.
//
// The pipeline never prints: warnings go to a callback, progress is a
// snapshot the caller polls, and Verdict turns a report into the outcome a
// command maps to its exit code.
package pipeline
