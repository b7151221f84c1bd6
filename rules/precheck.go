package rules

// prechecks are the named hit filters a rule may ask for with
// `precheck = "name"`: cheaper than its regex, run first.
var prechecks = map[string]func(data []byte, start, end int) bool{
	"assignment": assignmentFollows,
	"markup":     markupName,
}

// markupName reports whether the name holding a keyword hit opens an XML
// element (<db_password>) or is quoted right after an = (key="ApiToken"),
// the only places markup-secret's regex matches a name, within 40 bytes
// of the name's start (a keyword further in comes after one that is nearer,
// which has its own hit). A byte from 0x80
// up before the name passes too: case folding gives the regex non-ASCII
// name letters (ſ, the Kelvin sign) that the walk back stops at.
func markupName(data []byte, start, _ int) bool {
	i := nameStart(data, start, 40)
	if i == 0 || isNameByte(data[i-1]) {
		return false
	}
	switch c := data[i-1]; {
	case c == '<' || c >= 0x80:
		return true
	case c == '"' || c == '\'':
		return i >= 2 && data[i-2] == '='
	}
	return false
}

// assignmentFollows reports whether the name holding a keyword hit is
// followed by an assignment or a key-value separator: the rest of the name,
// then quotes, closing brackets or spaces (aligned columns), then one of
// = : , | ? > —
// as in `password = x`, `"token": x`, `api_key := x`, `("secret", x)`,
// `TOKEN ||= x`. Most keyword hits in code are uses, not assignments
// (`if token == nil`, `token.Valid()`), and are dropped before the regex.
func assignmentFollows(data []byte, start, end int) bool {
	i := end
	for n := 0; i < len(data) && n < 64 && isNameByte(data[i]); n++ {
		i++
	}
	for n := 0; i < len(data) && n < 40; n++ {
		switch data[i] {
		case '"', '\'', '`', ' ', '\t', ']', ')':
			i++
			continue
		}
		break
	}
	if i >= len(data) {
		return false
	}
	switch data[i] {
	case '=':
		// Equality tests are not assignments.
		return i+1 >= len(data) || data[i+1] != '='
	case ':', ',', '|', '?', '>':
		return true
	}
	return false
}
