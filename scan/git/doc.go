// Package git scans git history for secrets: every commit reachable from the
// repository's refs, a commit range for CI, or the staged changes for a
// pre-commit hook. Every finding is attributed to the commit that introduced
// the secret at its path, with that commit's author, date and summary.
//
// go-git models the repository (refs, commits, trees, blobs, the index). When
// the git binary is installed, git lists each commit's new blobs (a raw tree
// diff), reads each of them once for a whole-blob scan, and diffs only the
// commits whose new blobs hold a finding; without it, go-git reads each
// unique blob once.
package git
