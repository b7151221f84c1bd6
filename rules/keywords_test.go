package rules

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKeywordMatcherFindsEveryOccurrenceCaseInsensitively(t *testing.T) {
	kws := []string{"akia", "ghp_", "he", "she", "hers", "password"}
	m := newKeywordMatcher(kws)
	text := "USHERS x AKIAxx ghp_ PassWord she"
	type hit struct {
		kw  string
		end int
	}
	var got []hit
	m.scan([]byte(text), func(kw, end int) { got = append(got, hit{kws[kw], end}) })
	// Reference: naive search.
	var want []hit
	lt := strings.ToLower(text)
	for end := 1; end <= len(lt); end++ {
		for _, kw := range kws {
			if strings.HasSuffix(lt[:end], kw) {
				want = append(want, hit{kw, end})
			}
		}
	}
	less := func(h []hit) func(i, j int) bool {
		return func(i, j int) bool {
			if h[i].end != h[j].end {
				return h[i].end < h[j].end
			}
			return h[i].kw < h[j].kw
		}
	}
	sort.Slice(got, less(got))
	sort.Slice(want, less(want))
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(hit{})); diff != "" {
		t.Fatalf("hits differ (-want +got):\n%s", diff)
	}
}
