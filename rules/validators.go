package rules

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// jwtValid accepts a JSON Web Token whose header and payload decode to JSON
// objects, the header naming an "alg". The token of the jwt.io debugger,
// which documentation everywhere copies, is rejected as an example.
func jwtValid(tok []byte) bool {
	parts := bytes.Split(tok, []byte("."))
	if len(parts) != 3 {
		return false
	}
	hdr, ok := DecodeBase64(parts[0])
	if !ok {
		return false
	}
	var h map[string]any
	if json.Unmarshal(hdr, &h) != nil {
		return false
	}
	if _, ok := h["alg"].(string); !ok {
		return false
	}
	body, ok := DecodeBase64(parts[1])
	if !ok {
		return false
	}
	var p map[string]any
	if json.Unmarshal(body, &p) != nil {
		return false
	}
	if p["sub"] == "1234567890" && p["name"] == "John Doe" {
		return false
	}
	return true
}

// charClasses counts which of lower-case, upper-case, digits and other
// printable bytes occur in s.
func charClasses(s []byte) (lower, upper, digit, other bool) {
	for _, c := range s {
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case '0' <= c && c <= '9':
			digit = true
		default:
			other = true
		}
	}
	return
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// mixedCaseDigits accepts a random-looking token: lower- and upper-case
// letters and digits all present (AWS secret keys, for instance).
func mixedCaseDigits(s []byte) bool {
	l, u, d, _ := charClasses(s)
	return l && u && d
}

// githubFineGrained checks the documented shape of a fine-grained personal
// access token: github_pat_<22 alphanumerics>_<59 alphanumerics>. GitHub has
// not documented a checksum for this format, so the check is structural and
// rejects segments that are not random-looking.
func githubFineGrained(tok []byte) bool {
	rest, ok := bytes.CutPrefix(tok, []byte("github_pat_"))
	if !ok || len(rest) != 82 || rest[22] != '_' {
		return false
	}
	for _, seg := range [][]byte{rest[:22], rest[23:]} {
		l, u, d, o := charClasses(seg)
		if o || count(l, u, d) < 2 {
			return false
		}
	}
	return Entropy(rest[23:]) >= 4.0
}

var (
	// References to a value held elsewhere: environment, template, config
	// lookups, secret-manager URIs.
	refPrefixes = []string{
		"${", "$(", "$env:", "%(", "#{", "@{", "{{", "<%", "env.", "env[", "env(", "process.env", "import.meta.env",
		"os.environ", "os.getenv", "getenv(", "system.getenv", "environment.", "var.", "vars.", "local.", "locals.",
		"module.", "data.", "secrets.", "secret.", "config.", "settings.", "self.", "this.", "props.", "params.",
		"args.", "opts.", "options.", "ctx.", "request.", "req.", "input.", "values.", ".values", "arn:", "vault:",
		"op://", "sm://", "gcp:", "azurekeyvault", "ref+", "file:", "\\", "http://", "https://",
		"sha1:", "sha256:", "sha384:", "sha512:", "sha512-", "sha384-", "sha256-", "h1:", "md5:", "!ref", "!sub", "!getatt",
		"enc(", "encrypted:", "none", "null", "nil", "undefined", "true", "false", "[", "{", "(", "<", "-0x", "0x", "*", "&", "@",
	}
	// Words that mark a value as an example or a default in generic rules.
	genericStopwords = []string{
		"password", "passwd", "secret", "token", "example", "sample", "dummy", "fake", "mock", "test", "changeme",
		"change_me", "placeholder", "redacted", "default", "qwerty", "letmein", "foobar", "hunter2", "admin",
		"localhost", "your", "my_", "my-", "todo", "tbd", "string", "value", "xxx", "***", "...", "___", "user",
		"ssword", "p@ss", "pa$$", "s3cr3t", "){", "};", "\\n", "\\t",
	}
	identRE = regexp.MustCompile(`^\.?[A-Za-z_$][\w$]*(?:(?:\.|\?\.|->|::)[A-Za-z_$][\w$]*)+(?:\(|\[|$)|^[A-Za-z_$][\w$.]*[(\[]`)
	snakeRE = regexp.MustCompile(`^(?:[a-z][a-z0-9]*(?:[_.:/-][a-z0-9]+)+|[A-Z][A-Z0-9]*(?:[_.:/-][A-Z0-9]+)+|[._-]*[a-z][a-z_.:/-]*|[._-]*[A-Z][A-Z_.:/-]*)$`)
	// camelCase and PascalCase identifiers, with leading underscores.
	camel2RE   = regexp.MustCompile(`^[_$]*[a-z]{2,}[0-9]*(?:[A-Z][a-z]{2,}[0-9]*)+$|^[A-Za-z]+(?:_[A-Za-z]+)+$`)
	camelRE    = regexp.MustCompile(`^[a-z]+(?:[A-Z][a-z]+)+[0-9]{0,4}$|^(?:[A-Z][a-z]+){2,}[0-9]{0,4}$`)
	uuidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	emailRE    = regexp.MustCompile(`^[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$`)
	fileExtRE  = regexp.MustCompile(`(?i)\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|toml|ini|cfg|conf|env|txt|pub|gpg|asc|py|js|ts|go|rb|sh|html?)$`)
	shellVarRE = regexp.MustCompile(`^\$[A-Za-z_{(0-9]`)
	winVarRE   = regexp.MustCompile(`^%[A-Za-z_][\w]*%`)
	// A keyword argument caught through a call's argument list: name=...
	kwargRE = regexp.MustCompile(`^[a-z_-]+=`)
	// Token-replacement placeholders of build and deploy tools: __NAME__,
	// @name@, #{name}.
	tokenReplRE = regexp.MustCompile(`^(?:__[\w.-]+__|@[\w.-]+@|#\{[^}]*\})$`)
	// printf verbs: %s, %v. A verb is followed by what a format string
	// holds next (a separator, another verb, the end), not by more letters
	// and digits as in %jCs7Mlq*M+E2T, a password that starts with a
	// percent sign.
	formatRE = regexp.MustCompile(`^%[-+# 0-9.*]*[a-zA-Z](?:[^A-Za-z0-9]|$)`)
	// signedNameRE matches an expression or option: +name, -name, -Werror.
	// A long mixed-case run with digits after the sign is a generated
	// password that starts with + or - (Azure's registry passwords do).
	signedNameRE = regexp.MustCompile(`^[+-][A-Za-z_][\w.]*$`)
	shortHexRE   = regexp.MustCompile(`^[0-9a-f]{1,19}$`)
	numberishRE  = regexp.MustCompile(`^[0-9.,:+_eE-]+[a-zA-Z]{0,2}$`)
	// A file path: rooted or relative, with a lower-case word for a segment.
	pathRE     = regexp.MustCompile(`^(?:~|\.{1,2})?/[A-Za-z0-9._@/-]*$`)
	pathWordRE = regexp.MustCompile(`(?:^|/)[a-z]{3,}(?:[/._-]|$)`)
)

// genericSecret accepts a value assigned to a secret-sounding name when it
// looks like a literal credential rather than a reference (an environment
// lookup, a template, a config path, a function call), a word, an
// identifier, a number, a file path, a UUID or a documented default.
// roffEscapeRE finds the escapes of man pages and of quoted patterns
// (\- \e \[ \] \( \* \f \x21 \d \w \s), which no credential contains.
var roffEscapeRE = regexp.MustCompile(`\\[-e\[\]()*f&|xdws]`)

// concatRE matches a name followed by a concatenation operator
// (alphanums+"_$" leaves alphanums+ before the quote); a base64 value may
// end in + too, but holds digits or mixed case before it.
var concatRE = regexp.MustCompile(`^[a-z_][a-z_.]*\+$`)

// negatedNameRE matches a negated name (!commentClosed), an expression.
var negatedNameRE = regexp.MustCompile(`^![A-Za-z_][\w.]*$`)

// winPathRE matches a Windows path or registry key of words
// (SOFTWARE\Microsoft\Windows, C:\Program Files is cut at its space).
var winPathRE = regexp.MustCompile(`^(?:[A-Za-z]:)?[A-Za-z]{2,}(?:\\{1,2}[A-Za-z][a-z]{2,}[A-Za-z]*)+\\{0,2}$`)

// packagePathRE matches an import path under a domain
// (k8s.io/apimachinery/pkg/apis/meta/v1.ListMeta), as generated code lists
// its dependencies.
var packagePathRE = regexp.MustCompile(`^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/[A-Za-z0-9_./-]+$`)

// typeName reports whether s is the name of a type or constant made of
// words and version tags (IoK8sApiCoreV1LocalObjectReference,
// Ec2InstanceMetadata, Openapi_V3_OauthFlow, a Swift optional's trailing
// ?): three or more parts, each a word of two or more lower-case letters
// (capitalised or not, a digit or two after it) or a capital with digits
// (V1, K8s), at least two of them words, vowel-rich as words are. A
// generated value breaks into such parts by chance almost never.
func typeName(s string) bool {
	s = strings.TrimSuffix(s, "?")
	var parts []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || s[i] == '_' || 'A' <= s[i] && s[i] <= 'Z' {
			if i > start {
				parts = append(parts, s[start:i])
			}
			start = i
			if i < len(s) && s[i] == '_' {
				start = i + 1
			}
		} else if !('a' <= s[i] && s[i] <= 'z' || '0' <= s[i] && s[i] <= '9') {
			return false
		}
	}
	if len(parts) < 3 || !('A' <= s[0] && s[0] <= 'Z' || 'a' <= s[0] && s[0] <= 'z') {
		return false
	}
	words := 0
	var letters []byte
	for _, p := range parts {
		switch {
		case typeWordRE.MatchString(p):
			words++
			letters = append(letters, strings.TrimRight(p, "0123456789")...)
		case typeTagRE.MatchString(p):
		default:
			return false
		}
	}
	return words >= 2 && vowelRatio(letters) >= 0.3
}

var (
	typeWordRE = regexp.MustCompile(`^[A-Za-z][a-z]{2,}[0-9]{0,2}$|^[A-Z]?[a-z]{2}$`)
	typeTagRE  = regexp.MustCompile(`^[A-Z][0-9]{1,2}[a-z]?$|^[A-Z][a-z][0-9]{0,2}$`)
)

// printfVerbRE finds a printf verb inside a dotted or separated name
// (body.payload.%s, key-%d): a format string filled in at run time.
var printfVerbRE = regexp.MustCompile(`[._/:-]%[sdv](?:$|[._/:-])`)

// notLiteralRE matches values shaped like data other than a credential: a
// colon-separated fingerprint (51:C4:0C:…), a passwd-style record with three
// or more colons, a resource path with a placeholder segment
// (projects/PROJECT_ID/…) or a glob, and $-joined generated identifiers.
var notLiteralRE = regexp.MustCompile(`^(?:[0-9A-Fa-f]{2}:){4}|^[^:]*:[^:]*:[^:]*:|(?:^|/)[A-Z][A-Z0-9]*_[A-Z0-9_]+(?:/|$)|/\*(?:/|$)|\$[A-Za-z_]\w*\$`)

func genericSecret(v []byte) bool {
	if len(v) < 8 {
		return false
	}
	s := string(v)
	low := strings.ToLower(s)
	for _, p := range refPrefixes {
		if strings.HasPrefix(low, p) {
			return false
		}
	}
	for _, w := range genericStopwords {
		if strings.Contains(low, w) {
			return false
		}
	}
	if strings.ContainsAny(s, "(;{}") || strings.Contains(s, "++") || strings.Contains(s, "+=") || strings.Contains(s, ",") ||
		strings.Contains(s, "||") || strings.Contains(s, "&&") || concatRE.MatchString(s) || printfVerbRE.MatchString(s) ||
		negatedNameRE.MatchString(s) || winPathRE.MatchString(s) || packagePathRE.MatchString(s) || typeName(s) {
		return false // a call, a statement, an expression (t.credentials||this.credentials) or a list, not a literal
	}
	if hasCJK(s) {
		return false // prose in Chinese, Japanese or Korean (a parameter's documentation), not a literal
	}
	if strings.HasPrefix(s, ":") {
		return false // the second colon of a scope (credentials_manager::cert_chain) or a Ruby symbol
	}
	if strings.HasSuffix(s, "\\") || strings.HasSuffix(s, ".") && !dottedLiteral(v) || strings.HasSuffix(s, ":") || strings.HasPrefix(s, "/") ||
		roffEscapeRE.MatchString(s) || notLiteralRE.MatchString(s) {
		return false // prose, a path, a pattern or markup escapes (man pages' \-), not a literal
	}
	if shellVarRE.MatchString(s) || winVarRE.MatchString(s) || tokenReplRE.MatchString(s) || formatRE.MatchString(s) || signedName(v) || identRE.MatchString(s) || snakeRE.MatchString(s) ||
		camelRE.MatchString(s) || camel2RE.MatchString(s) || uuidRE.MatchString(s) || emailRE.MatchString(s) || fileExtRE.MatchString(s) ||
		numberishRE.MatchString(s) || shortHexRE.MatchString(s) || strings.Contains(s, "://") || (pathRE.MatchString(s) && pathWordRE.MatchString(s)) {
		return false
	}
	l, u, d, o := charClasses(v)
	n := count(l, u, d, o)
	if n < 2 {
		return false
	}
	// Letters only (around separators such as a leading dot): a word, a
	// file name, a phrase or an identifier (vowel-rich, pronounceable)
	// unless long and random.
	core := bytes.Trim(v, "._-")
	if cl, cu, cd, co := charClasses(core); !cd && !co && (cl || cu) && (len(core) < 16 || Entropy(core) < 3.8 || vowelRatio(core) >= 0.3) {
		return false
	}
	if kwargRE.MatchString(s) {
		return false
	}
	if depSpecRE.MatchString(s) || digestRE.MatchString(s) || passwordHashRE.MatchString(s) || globRE.MatchString(s) || orgNameID(s) || wordCompound(s) || encodedPlaceholder(v) || DemoPassword(v) {
		return false
	}
	return true
}

// DemoPassword reports whether v is a lower-case word that ends in a
// counting run, as people type the credentials of a local dev stack or a
// test service (minio123, s3admin123, admin1234, devstackpostgres123): a
// documented default, not a generated secret.
func DemoPassword(v []byte) bool {
	if len(v) > 24 {
		return false
	}
	for _, c := range v {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	const counting = "1234567890"
	for i := 1; i+3 <= len(v); i++ {
		tail := string(v[i:])
		if strings.Contains(counting, tail) && strings.Trim(string(v[:i]), "0123456789") != "" {
			return true
		}
	}
	return false
}

// signedName reports whether v is +name or -name: an expression or a
// command-line option, not a password that merely starts with a sign.
func signedName(v []byte) bool {
	return signedNameRE.Match(v) && !(len(v) >= 17 && mixedCaseDigits(v[1:]))
}

// dottedLiteral reports whether v, which ends in a dot, is a literal
// rather than the end of a sentence: before the dot it mixes upper and
// lower case, digits and symbols other than word separators
// (9OZ%f9SV^nl12RPlm.), with no run of lower-case letters long enough to
// be a word (Base64-encoded.).
func dottedLiteral(v []byte) bool {
	body := v[:len(v)-1]
	l, u, d, _ := charClasses(body)
	sym, run := false, 0
	for _, c := range body {
		switch {
		case 'a' <= c && c <= 'z':
			if run++; run >= 5 {
				return false
			}
			continue
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c != '-' && c != '_' && c != '.':
			sym = true
		}
		run = 0
	}
	return l && u && d && sym
}

var (
	// depSpecRE matches a dependency version specifier: npm:^3.1.0 (yarn
	// berry's descriptors), ^1.2.3, ~> 4.2, >=2.0.0rc1, ==1.4.
	depSpecRE = regexp.MustCompile(`^(?:[a-z]+:)?(?:\^|~>?|[<>]=?|[=!]=)?v?[0-9]+(?:\.(?:[0-9]+|x|\*)){1,3}(?:[-+.]?[0-9A-Za-z]+){0,3}$`)
	// digestRE matches a content digest (sha256:<hex>), as image references
	// and ExternalSecret versions carry.
	digestRE = regexp.MustCompile(`^(?i:sha(?:1|224|256|384|512)|md5|blake2b|blake3):[0-9a-f]{32,128}$`)
	// passwordHashRE matches a stored password hash: Django's and passlib's
	// algorithm$salt$hash (sha1$1b11b$edeb…, pbkdf2_sha256$600000$…) and
	// crypt(3)'s $id$ forms (bcrypt $2b$12$…, sha512-crypt $6$…, $argon2id$).
	// A hash verifies a password; it does not log in.
	passwordHashRE = regexp.MustCompile(`^(?:(?:pbkdf2_sha(?:1|256)|sha1|md5|unsalted_md5|bcrypt(?:_sha256)?|argon2|scrypt|crypt)\$[^$\s]+\$|\$(?:2[abxy]?|1|5|6|y|7|argon2(?:id|i|d)|scrypt)\$[^$\s]+\$)`)
	// globRE matches a resource-name pattern ending in a wildcard segment
	// (secret:mlflow/auth-*), as IAM policies name a family of secrets.
	globRE = regexp.MustCompile(`[-_./:]\*$|^\*[-_./:]`)
	// idPartRE is one separated segment of a model or repository name: a
	// word, possibly with a version number (Qwen3, K2, 8B, v1, 2.5, A22B).
	idPartRE = regexp.MustCompile(`^(?:[A-Z]?[a-z]+|[A-Z]+)[0-9]{0,3}[a-z]?$|^[0-9]{1,4}[A-Za-z]{0,2}$|^[A-Z][0-9]{1,3}[A-Za-z]?$`)
)

// hasCJK reports whether s holds a Chinese, Japanese or Korean character or
// full-width punctuation, which generated credentials never do.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7AF || r >= 0xFF00 && r <= 0xFFEF {
			return true
		}
	}
	return false
}

// orgNameID reports whether s is a model or repository id of the form
// org/name (Qwen/Qwen3-8B, moonshotai/Kimi-K2-Instruct): one slash between
// runs of words and version numbers. Base64 holds slashes too, but between
// random mixed-case runs that are not words.
func orgNameID(s string) bool {
	org, name, ok := strings.Cut(s, "/")
	return ok && !strings.Contains(name, "/") && wordsOnly(org, 1) && wordsOnly(name, 1)
}

// wordCompound reports whether s is words joined by hyphens, underscores
// or dots (Comma-separated, in a docstring's "NAME: Comma-separated host
// list."): prose or an identifier, not a literal.
func wordCompound(s string) bool {
	if !strings.ContainsAny(s, "-_.") {
		return false
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if len(w) < 2 || len(w) > 14 || !isLetters(w) || vowelRatio([]byte(w)) < 0.25 || !idPartRE.MatchString(w) {
			return false
		}
	}
	return true
}

func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// wordsOnly reports whether every segment of s between - _ . is a word or a
// version-like part, with at least min segments, and at least one segment
// pronounceable (vowels in a word, not random letters).
func wordsOnly(s string, min int) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	if len(parts) < min || len(s) > 64 {
		return false
	}
	word := false
	for _, w := range parts {
		if len(w) > 16 || !idPartRE.MatchString(w) {
			return false
		}
		if len(w) >= 3 && vowelRatio([]byte(w)) >= 0.2 {
			word = true
		}
	}
	return word
}

// encodedPlaceholder reports whether v is the base64 of a placeholder, a
// text too short to be a credential or a default word (Y2hhbmdlbWU= is "changeme"), as Kubernetes Secret
// manifests write their data values.
func encodedPlaceholder(v []byte) bool {
	if len(v)%4 != 0 {
		return false
	}
	d, ok := DecodeBase64(v)
	if !ok || len(d) == 0 {
		return false
	}
	for _, c := range d {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	// Fewer than 8 characters of text (abc:123, a mock registry login) is
	// too short to be a credential worth a finding.
	return len(d) < 8 || IsPlaceholder(d) || weakURLPasswords[strings.ToLower(string(d))]
}

// vowelRatio is the share of vowels among the letters of s: about 0.4 in
// words and identifiers, about 0.2 in random letters.
func vowelRatio(s []byte) float64 {
	letters, vowels := 0, 0
	for _, c := range s {
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U':
			vowels++
			letters++
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				letters++
			}
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(vowels) / float64(letters)
}

// weakURLPasswords are passwords that documentation and local development
// setups use in connection strings; they are not leaked credentials.
var weakURLPasswords = map[string]bool{
	"password": true, "passwd": true, "pass": true, "secret": true, "changeme": true, "postgres": true,
	"postgresql": true, "mysql": true, "root": true, "admin": true, "guest": true, "test": true, "user": true,
	"username": true, "redis": true, "mongo": true, "mongodb": true, "rabbitmq": true, "example": true,
	"pwd": true, "default": true, "hunter2": true, "dbpass": true, "dbpassword": true, "mypassword": true, "yourpassword": true,
}

// urlPassword accepts the password part of a URL's user information when it
// is a literal, not a placeholder (${PASS}, :password@, :***@, <password>).
func urlPassword(v []byte) bool {
	if len(v) < 4 {
		return false
	}
	s := string(v)
	low := strings.ToLower(s)
	if weakURLPasswords[low] || shellVarRE.MatchString(s) || winVarRE.MatchString(s) {
		return false
	}
	for _, p := range []string{"${", "$(", "{{", "{", "<", "[", "%s", "%(", "***", "xxx", "...", "____"} {
		if strings.Contains(low, p) {
			return false
		}
	}
	if u, err := url.PathUnescape(low); err == nil {
		low = u
	}
	for _, w := range []string{"password", "passwd", "ssword", "p@ss", "pa$$", "changeme", "example", "placeholder", "your", "secret", "redacted", "dummy"} {
		if strings.Contains(low, w) {
			return false
		}
	}
	l, u, d, o := charClasses(v)
	if count(l, u, d, o) < 2 && len(v) < 12 {
		return false
	}
	return !repeated(v)
}

var pemHeaderLine = regexp.MustCompile(`(?m)^[A-Za-z-]+: .*$`)

// pemPrivateKey accepts a PEM private key block whose body is base64: a
// placeholder block ("..." or "<key>") or a truncated one is not a key.
func pemPrivateKey(b []byte) bool {
	start := bytes.Index(b, []byte("KEY-----"))
	if start < 0 {
		start = bytes.Index(b, []byte("BLOCK-----"))
	}
	end := bytes.LastIndex(b, []byte("-----END"))
	if start < 0 || end < start {
		return false
	}
	body := bytes.ReplaceAll(b[start:end], []byte(`\n`), []byte("\n"))
	body = bytes.ReplaceAll(body, []byte(`\r`), []byte("\n"))
	body = pemHeaderLine.ReplaceAll(body, nil)
	n, bad := 0, 0
	for _, c := range body[bytes.IndexByte(body, '-')+1:] {
		switch {
		case c == '-' || c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '\\':
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '+', c == '/', c == '=':
			n++
		default:
			bad++
		}
	}
	if n < 64 || bad*20 > n {
		return false
	}
	return !bytes.Contains(body, []byte("...")) && !bytes.Contains(bytes.ToLower(body), []byte("xxxxxxxx"))
}

// discordBotToken accepts a Discord bot token: its first segment is the
// base64 of the bot's numeric user id (a snowflake). A token whose first
// segment does not decode so is still accepted when the whole is random
// (mixed case, digits, high entropy), since the rule already requires a
// line that names Discord.
func discordBotToken(tok []byte) bool {
	i := bytes.IndexByte(tok, '.')
	if i < 0 {
		return false
	}
	if id, ok := DecodeBase64(tok[:i]); ok && len(id) >= 17 && len(id) <= 20 && allDigits(id) {
		return true
	}
	return mixedCaseDigits(tok) && Entropy(tok) >= 4.5
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// basicAuthHeader accepts the base64 credentials of an HTTP Basic
// Authorization header when they decode to user:password with a password
// that is not a placeholder.
func basicAuthHeader(v []byte) bool {
	d, ok := DecodeBase64(v)
	if !ok {
		return false
	}
	i := bytes.IndexByte(d, ':')
	if i < 1 || i == len(d)-1 {
		return false
	}
	for _, c := range d {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	// A user name is a plain word or an address, never JSON or markup.
	if bytes.ContainsAny(d[:i], "\"'{}[]<> ") {
		return false
	}
	return urlPassword(d[i+1:]) && !IsPlaceholder(d[i+1:])
}
