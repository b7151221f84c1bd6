package rules

import "hash/crc32"

func init() {
	RegisterValidator("github-crc32", githubChecksum)
}

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

// githubChecksum checks a GitHub token of the form prefix_<30 random><6 checksum>.
func githubChecksum(tok []byte) bool {
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
