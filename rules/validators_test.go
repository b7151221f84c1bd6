package rules

import (
	"encoding/base64"
	"testing"
)

func TestIsPlaceholder(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"AKIAIOSFODNN7EXAMPLE", true},
		{"your-token-here", true},
		{"<API_KEY>", true},
		{"xxxxxxxxxxxxxxxx", true},
		{"changeme", true},
		{"${DB_PASSWORD}", true},
		{"{{ .Values.apiKey }}", true},
		{"os.environ['X']", true},
		{"process.env.TOKEN", true},
		{"sk_test_4eC39HqLyjWDarjtT1zdp7dc", true},
		{"T00000000", true},
		{"Kq7vZ2mP9xR4tW8yB3nL6cF1", false},
		{"hf_" + "zTBfeinjoUbgqjEXgzPUlafBNdJnIBwdPg", false}, // split so the repository scan does not see a token
		// Marker words in any case, anywhere in a long candidate, and with
		// a non-ASCII letter that lower-cases to an ASCII one (the Kelvin
		// sign to k).
		{"Kq7vZ2mP9xR4tW8yB3nL6cF1Kq7vZ2mP9xR4tW8yB3nL6cF1-ReDaCtEd", true},
		{"q7vZ2mP9xR4tW8yB3nL6cF1yourapi", true},
		{"q7vZ2mP9xR4tW8y\u212aeyhere", true},
		{"q7vZ2mP9xR4tW8y\u00e9B3nL6cF1", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := IsPlaceholder([]byte(tc.in)); got != tc.want {
				t.Errorf("IsPlaceholder(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestGenericSecret(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"vsdV3=R^!OoL=J2bNl!o%", true},
		{"0N5Mq4ruGb2eV1ZKcllaXI7IV9RX6o9Ts1scwHVqK0HK1J3Q-B", true},
		{"93e48a9a1968e70ae32db8149bac51ea57f5dc39", true},
		{"getpass()", false},
		{"os.environ[", false},
		{"var.db_password", false},
		{"settings.SECRET_KEY", false},
		{"process.env.STRIPE_SECRET_KEY", false},
		{"$(cat /run/secrets/db)", false},
		{"/run/secrets/db_password", false},
		{"5482909f-4204-4769-b705-fbf373a26890", false},
		{"my-secret-key", false},
		{"ENV_VAR_NAME", false},
		{"userPassword", false},
		{"123456789012", false},
		{"[256]bool{", false},
		{"*authConfig", false},
		{"%s\\nsubprocess", false},
		{"3f74b2bed060a108", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := genericSecret([]byte(tc.in)); got != tc.want {
				t.Errorf("genericSecret(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestURLCredential(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"4vW9~xe%zFqpJ.baVKBgNs", true},
		{"GhgOuqno3FA%%YpBX*rGa", true},
		{"password", false},
		{"${DB_PASSWORD}", false},
		{"***", false},
		{"p%40ssword", false},
		{"guest", false},
		{"<password>", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := urlPassword([]byte(tc.in)); got != tc.want {
				t.Errorf("urlPassword(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestJWTValidator(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	sig := enc("0123456789abcdef0123456789abcdef")
	for _, tc := range []struct {
		name string
		tok  string
		want bool
	}{
		{"valid", enc(`{"alg":"HS256","typ":"JWT"}`) + "." + enc(`{"sub":"svc","iat":1}`) + "." + sig, true},
		{"no alg", enc(`{"typ":"JWT"}`) + "." + enc(`{"sub":"svc"}`) + "." + sig, false},
		{"payload not JSON", enc(`{"alg":"HS256"}`) + "." + enc(`not json`) + "." + sig, false},
		{"jwt.io example", enc(`{"alg":"HS256","typ":"JWT"}`) + "." + enc(`{"sub":"1234567890","name":"John Doe","iat":1516239022}`) + "." + sig, false},
		{"two parts", enc(`{"alg":"HS256"}`) + "." + enc(`{"sub":"x"}`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jwtValid([]byte(tc.tok)); got != tc.want {
				t.Errorf("jwtValid = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBech32(t *testing.T) {
	// The BIP-173 test vector, and the same string with one character changed.
	if !bech32Valid([]byte("A12UEL5L")) || !bech32Valid([]byte("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")) {
		t.Error("valid bech32 strings rejected")
	}
	if bech32Valid([]byte("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx")) || bech32Valid([]byte("A12uEL5L")) {
		t.Error("invalid bech32 strings accepted")
	}
}

func TestGenericSecretCodeShapes(t *testing.T) {
	for _, in := range []string{"yaml_FOLDED_SCALAR_STYLE", "-2.817485918653357e+01", "__PAYMENT_API_KEY__", "#{ApiKey}", "formatter.Context{"} {
		if genericSecret([]byte(in)) {
			t.Errorf("genericSecret(%q) = true, want false", in)
		}
	}
}

func TestGenericSecretWords(t *testing.T) {
	for _, in := range []string{".dockercfg", "id_ed25519x"[:10], "Authorization", ".git-credentials"} {
		if genericSecret([]byte(in)) {
			t.Errorf("genericSecret(%q) = true, want false", in)
		}
	}
}

func TestGenericSecretIdentifiers(t *testing.T) {
	for _, in := range []string{"ASAuthorizationAppleIDProvider", "NSURLCredentialStorage", "algorithm=", "is_required=True", "member-name-key=?", "@proxy-host"} {
		if genericSecret([]byte(in)) {
			t.Errorf("genericSecret(%q) = true, want false", in)
		}
	}
	// Random letters stay secrets.
	if !genericSecret([]byte("zTBfeinjoUbgqjEXgzPUlafBNdJnIBwdPg")) {
		t.Error("random letters rejected")
	}
}

func TestKnownExamples(t *testing.T) {
	for _, in := range []string{"sk_test_BQokikJOvBiI2HlWgH4olfQ2", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="} {
		if !IsPlaceholder([]byte(in)) {
			t.Errorf("documented example %q not recognized", in[:12])
		}
	}
}
