// Package git scans git history for secrets: every commit reachable from the
// repository's refs, a commit range for CI, or the staged changes for a
// pre-commit hook. Each piece of added text is scanned once and every finding
// is attributed to the commit that introduced the secret at its path, with
// that commit's author, date and summary.
//
// go-git models the repository (refs, commits, trees, blobs, the index). When
// the git binary is installed, its diff machinery streams the text each
// commit added, which is several times faster than reading every blob;
// without it, go-git reads each unique blob once.
package git
