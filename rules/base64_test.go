package rules

import "testing"

func TestDecodeBase64(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"dXNlcjpwYXNzd29yZA==", "user:password", true}, // standard, padded
		{"dXNlcjpwYXNzd29yZA", "user:password", true},   // standard, unpadded
		{"Pz8_Pz8-", "?????>", true},                    // URL-safe alphabet
		{"Pz8/Pz8+", "?????>", true},                    // standard alphabet, same bytes
		{"dXNl cjpw", "", false},                        // a space is no base64
		{"a", "", false},                                // one character holds no byte
	} {
		got, ok := DecodeBase64([]byte(tc.in))
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("DecodeBase64(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
