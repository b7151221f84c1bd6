package rules

// prechecks are the named hit filters a rule may ask for with
// `precheck = "name"`: cheaper than its regex, run first.
var prechecks = map[string]func(data []byte, start, end int) bool{
	"assignment": assignmentFollows,
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
