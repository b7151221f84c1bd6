package audit

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec is one shard of a plan: Index in [0, Count).
type Spec struct {
	Index, Count int
	// From says where the spec came from (a flag or the environment
	// variables a job engine sets), for messages.
	From string
}

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseSpec reads INDEX/COUNT, INDEX 0-based.
func ParseSpec(s string) (Spec, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Spec{}, fmt.Errorf("bad shard %q (want INDEX/COUNT, INDEX from 0)", s)
	}
	return makeSpec(i, n, 0, "--shard")
}

func makeSpec(index, count string, base int, from string) (Spec, error) {
	i, err1 := strconv.Atoi(strings.TrimSpace(index))
	n, err2 := strconv.Atoi(strings.TrimSpace(count))
	i -= base
	if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Spec{}, fmt.Errorf("%s: bad shard index %q of count %q (want %d <= INDEX < %d+COUNT)", from, index, count, base, base)
	}
	return Spec{Index: i, Count: n, From: from}, nil
}

// SpecFromEnv finds the shard in the variables job engines set:
// Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX (0-based; the count comes
// from count, the --shard-count flag, or SECRETLINT_SHARD_COUNT, since the
// pod is not told the job's completions), then GitLab's parallel jobs'
// CI_NODE_INDEX (1-based) and CI_NODE_TOTAL. Without either it is the
// single shard 0/1. GitHub matrices have no such variables: pass --shard.
func SpecFromEnv(getenv func(string) string, count int) (Spec, error) {
	if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
		n := strconv.Itoa(count)
		from := "JOB_COMPLETION_INDEX and --shard-count"
		if count == 0 {
			n, from = getenv("SECRETLINT_SHARD_COUNT"), "JOB_COMPLETION_INDEX and SECRETLINT_SHARD_COUNT"
			if n == "" {
				return Spec{}, fmt.Errorf("JOB_COMPLETION_INDEX is set but not the shard count: pass --shard-count or set SECRETLINT_SHARD_COUNT to the job's completions")
			}
		}
		return makeSpec(idx, n, 0, from)
	}
	if idx := getenv("CI_NODE_INDEX"); idx != "" {
		return makeSpec(idx, getenv("CI_NODE_TOTAL"), 1, "CI_NODE_INDEX and CI_NODE_TOTAL")
	}
	if count > 1 {
		return Spec{}, fmt.Errorf("--shard-count %d without a shard index: pass --shard INDEX/COUNT or run as an indexed job", count)
	}
	return Spec{Index: 0, Count: 1, From: "default"}, nil
}
