package content

import (
	"bytes"
)

// text is decoded text with, for each byte, the offset of the raw byte it
// came from: a Piece without its end entry, cheap to slice.
type text struct {
	b   []byte
	raw []int
}

// rawText is data[start:end] as it stands. Its bytes are data's, capped
// so that appending to the text copies them rather than writing into data.
func rawText(data []byte, start, end int) text {
	t := text{b: data[start:end:end], raw: make([]int, end-start)}
	for i := range t.raw {
		t.raw[i] = start + i
	}
	return t
}

// slice is t[i:j], capped like rawText so that appending to it never
// writes over t.
func (t text) slice(i, j int) text { return text{t.b[i:j:j], t.raw[i:j:j]} }

func (t *text) appendByte(c byte, at int) {
	t.b = append(t.b, c)
	t.raw = append(t.raw, at)
}

func (t *text) append(u text) {
	t.b = append(t.b, u.b...)
	t.raw = append(t.raw, u.raw...)
}

// pairs writes what structure-aware extractors hand the rules: one line
// per key and decoded value, "key = value", the form every assignment rule
// reads, each byte mapped to the raw byte it came from.
type pairs struct{ t text }

// add writes key = value. A value that holds connection-string pairs
// (Server=…;Password=…;) or a URL's query (…?user=a&password=…) gets a
// line for each of those as well.
func (p *pairs) add(key, val text) {
	if len(val.b) == 0 {
		return
	}
	p.line(key, val)
	connPairs(val, p.line)
}

func (p *pairs) line(key, val text) {
	p.t.append(key)
	for _, c := range []byte(" = ") {
		p.t.appendByte(c, val.raw[0])
	}
	p.t.append(val)
	p.t.appendByte('\n', val.raw[len(val.raw)-1]+1)
}

// piece returns the lines written, or nothing.
func (p *pairs) piece(data []byte) []Piece {
	if len(p.t.b) == 0 {
		return nil
	}
	end := len(data)
	raw := append(p.t.raw, end)
	for i, o := range raw {
		raw[i] = min(o, max(end-1, 0)) // a newline after the last byte maps to it
	}
	return []Piece{{Text: p.t.b, Raw: raw}}
}

// connKeys are the keys of ADO.NET, ODBC, JDBC and Azure connection
// strings whose values are credentials.
var connKeys = [][]byte{
	[]byte("password"), []byte("pwd"), []byte("accountkey"), []byte("sharedaccesskey"),
	[]byte("sharedaccesssignature"), []byte("accesskey"), []byte("secret"), []byte("clientsecret"),
	[]byte("client_secret"), []byte("apikey"), []byte("api_key"), []byte("token"), []byte("passwd"),
}

// connPairs calls emit for each credential pair inside v: Key=Value parts
// separated by ';' (ADO.NET, ODBC, Azure Storage and Service Bus) or by '&'
// after a '?' (JDBC and other URLs). Values in braces ({…}, ODBC's quoting)
// or quotes lose them.
func connPairs(v text, emit func(key, val text)) {
	if bytes.IndexByte(v.b, '=') < 0 {
		return
	}
	sep := byte(';')
	body := v
	if bytes.IndexByte(v.b, ';') < 0 {
		q := bytes.IndexByte(v.b, '?')
		if q < 0 {
			return
		}
		sep, body = '&', v.slice(q+1, len(v.b))
	}
	for len(body.b) > 0 {
		end := bytes.IndexByte(body.b, sep)
		if end < 0 {
			end = len(body.b)
		}
		part := body.slice(0, end)
		if eq := bytes.IndexByte(part.b, '='); eq > 0 {
			k := trimSpace(part.slice(0, eq))
			val := trimSpace(part.slice(eq+1, len(part.b)))
			if n := len(val.b); n >= 2 && (val.b[0] == '{' && val.b[n-1] == '}' || val.b[0] == '"' && val.b[n-1] == '"' || val.b[0] == '\'' && val.b[n-1] == '\'') {
				val = val.slice(1, n-1)
			}
			if len(val.b) > 0 && isConnKey(k.b) {
				emit(k, val)
			}
		}
		if end == len(body.b) {
			break
		}
		body = body.slice(end+1, len(body.b))
	}
}

func isConnKey(k []byte) bool {
	low := bytes.ToLower(bytes.ReplaceAll(k, []byte(" "), nil))
	for _, c := range connKeys {
		if bytes.Equal(low, c) {
			return true
		}
	}
	return false
}

func trimSpace(t text) text {
	i, j := 0, len(t.b)
	for i < j && isSpace(t.b[i]) {
		i++
	}
	for j > i && isSpace(t.b[j-1]) {
		j--
	}
	return t.slice(i, j)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
