package rules

import "hash/crc32"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62CRC32 encodes the CRC32 (IEEE) of data as six base62 digits, the
// checksum format of GitHub and npm tokens.
func base62CRC32(data []byte) [6]byte {
	v := crc32.ChecksumIEEE(data)
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62[v%62]
		v /= 62
	}
	return out
}

// prefixedChecksum checks a token of the form prefix_<random><6 checksum>,
// where the checksum is base62CRC32 of the random part.
func prefixedChecksum(tok []byte) bool {
	i := 0
	for i < len(tok) && tok[i] != '_' {
		i++
	}
	if i == len(tok) || len(tok)-i-1 < 7 {
		return false
	}
	body := tok[i+1:]
	sum := base62CRC32(body[:len(body)-6])
	return string(sum[:]) == string(body[len(body)-6:])
}

// githubChecksum checks a GitHub token of the form prefix_<30 random><6
// checksum> (ghp_, gho_, ghu_, ghs_, ghr_), as GitHub documents it.
func githubChecksum(tok []byte) bool { return prefixedChecksum(tok) }

// npmChecksum checks an npm access token, npm_<30 random><6 checksum>: npm
// tokens use the same CRC32-in-base62 trailer as GitHub's.
func npmChecksum(tok []byte) bool { return prefixedChecksum(tok) }

// bech32Charset is the BIP-173 data alphabet; age secret keys are bech32
// with the human-readable part "age-secret-key-".
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// bech32Valid verifies the checksum of a bech32 string (either case, not
// mixed), such as an age secret key.
func bech32Valid(s []byte) bool {
	str := make([]byte, len(s))
	hasUpper, hasLower := false, false
	for i, c := range s {
		switch {
		case 'A' <= c && c <= 'Z':
			hasUpper = true
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z':
			hasLower = true
		}
		str[i] = c
	}
	if hasUpper && hasLower {
		return false
	}
	sep := -1
	for i := len(str) - 1; i >= 0; i-- {
		if str[i] == '1' {
			sep = i
			break
		}
	}
	if sep < 1 || sep+7 > len(str) {
		return false
	}
	hrp, data := str[:sep], str[sep+1:]
	values := make([]byte, 0, 2*len(hrp)+1+len(data))
	for _, c := range hrp {
		values = append(values, c>>5)
	}
	values = append(values, 0)
	for _, c := range hrp {
		values = append(values, c&31)
	}
	for _, c := range data {
		i := indexByte(bech32Charset, c)
		if i < 0 {
			return false
		}
		values = append(values, byte(i))
	}
	return bech32Polymod(values) == 1
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
