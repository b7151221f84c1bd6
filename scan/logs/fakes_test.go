package logs

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// fakes makes format-valid, never-real credentials for the fixtures, so no
// token that would trip push protection is committed. The fixtures name
// them as @@NAME@@.
type fakes struct {
	r    *rand.Rand
	vals map[string]string
}

func newFakes(seed uint64) *fakes {
	return &fakes{r: rand.New(rand.NewPCG(seed, 7)), vals: map[string]string{}}
}

const (
	alnum   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	base32u = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexLow  = "0123456789abcdef"
)

func (f *fakes) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[f.r.IntN(len(alphabet))]
	}
	return string(b)
}

// checksummed is prefix_<30 random><6 base62 CRC32>, GitHub's and npm's shape.
func (f *fakes) checksummed(prefix string) string {
	body := f.pick(alnum, 30)
	v := crc32.ChecksumIEEE([]byte(body))
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = alnum[v%62]
		v /= 62
	}
	return prefix + "_" + body + string(sum[:])
}

func (f *fakes) jwt() string {
	enc := base64.RawURLEncoding
	hdr, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	body, _ := json.Marshal(map[string]any{"sub": f.pick(hexLow, 16), "iat": 1716075026, "scope": "svc:ingest"})
	return enc.EncodeToString(hdr) + "." + enc.EncodeToString(body) + "." + f.pick(alnum, 43)
}

// value returns the fake for a name, the same one each time it is asked.
func (f *fakes) value(name string) string {
	if v, ok := f.vals[name]; ok {
		return v
	}
	var v string
	switch strings.TrimRight(name, "0123456789") {
	case "GHP":
		v = f.checksummed("ghp")
	case "GHPTAIL":
		v = f.value("GHPX")[1:]
	case "GHPX":
		v = f.checksummed("ghp")
	case "NPM":
		v = f.checksummed("npm")
	case "AKID":
		v = "AKIA" + f.pick(base32u, 16)
	case "AWSSECRET":
		v = f.pick("ABCDEFGHIJ", 2) + f.pick("abcdefghij", 2) + f.pick("0123456789", 2) + f.pick(alnum+"/+", 34)
	case "JWT":
		v = f.jwt()
	case "DAPI":
		v = "dapi" + f.pick(hexLow, 32)
	case "OPAQUE":
		v = f.pick("ABCDEFGH", 2) + f.pick("abcdefgh", 2) + f.pick("0123456789", 2) + f.pick(alnum, 34)
	case "PASS":
		v = "Pw" + f.pick(alnum, 18) + "9x"
	case "BASIC":
		v = base64.StdEncoding.EncodeToString([]byte("svc_deploy:" + f.value("PASS9")))
	default:
		panic(fmt.Sprintf("no fake for @@%s@@", name))
	}
	f.vals[name] = v
	return v
}

var fakeRE = regexp.MustCompile(`@@([A-Z0-9]+)@@`)

// fill replaces every @@NAME@@ in a fixture with its fake.
func (f *fakes) fill(t testing.TB, data []byte) []byte {
	t.Helper()
	return fakeRE.ReplaceAllFunc(data, func(m []byte) []byte {
		return []byte(f.value(string(m[2 : len(m)-2])))
	})
}
