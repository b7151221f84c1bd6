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

func TestKeywordMatcherSplitWalksAgreeWithNaiveSearch(t *testing.T) {
	kws := []string{"akia", "ghp_", "password", "-----begin", "x"}
	m := newKeywordMatcher(kws)
	// Long input with keywords everywhere, including across the quarter
	// edges the split walks start from.
	rng := uint32(7)
	var b strings.Builder
	for b.Len() < 5*minSplit {
		rng = rng*1664525 + 1013904223
		switch rng % 11 {
		case 0:
			b.WriteString("AKIA")
		case 1:
			b.WriteString("PassWord")
		case 2:
			b.WriteString("-----BEGIN")
		default:
			b.WriteByte(byte('a' + rng>>8%26))
		}
	}
	text := b.String()
	for _, n := range []int{len(text), len(text) - 1, len(text) - 2, len(text) - 3, minSplit, minSplit + 5} {
		data := []byte(text[:n])
		var got [][2]int
		m.scan(data, func(kw, end int) { got = append(got, [2]int{kw, end}) })
		var want [][2]int
		lt := strings.ToLower(string(data))
		for end := 1; end <= len(lt); end++ {
			for i, kw := range kws {
				if strings.HasSuffix(lt[:end], kw) {
					want = append(want, [2]int{i, end})
				}
			}
		}
		sortHits := func(h [][2]int) {
			sort.Slice(h, func(i, j int) bool {
				if h[i][1] != h[j][1] {
					return h[i][1] < h[j][1]
				}
				return h[i][0] < h[j][0]
			})
		}
		for i := 1; i < len(got); i++ {
			if got[i][1] < got[i-1][1] {
				t.Fatalf("n=%d: hits out of end order at %d: %v then %v", n, i, got[i-1], got[i])
			}
		}
		sortHits(got)
		sortHits(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("n=%d: hits differ (-want +got):\n%s", n, diff)
		}
	}
}
