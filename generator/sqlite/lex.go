package sqlite

import "strings"

// The tokens of SQLite's SQL, as far as splitting statements and reading
// back the CREATE TABLE text SQLite stores need them (tokenize.c).

type tokenKind uint8

const (
	tokSpace   tokenKind = iota
	tokComment           // -- to the end of the line, or /* */
	tokString            // 'text', x'blob' included
	tokQuoted            // "name", `name` or [name]
	tokWord              // keywords and bare names
	tokNumber
	tokVariable // ?1, :name, @name, $name
	tokPunct    // operators and ( ) , .
	tokSemi
)

type token struct {
	kind       tokenKind
	start, end int // byte offsets in the text
}

// lex splits src into tokens; every byte belongs to one token. An
// unterminated string, name or comment runs to the end of src: SQLite
// reports the error.
func lex(src string) []token {
	var out []token
	for i := 0; i < len(src); {
		kind, n := next(src[i:])
		out = append(out, token{kind: kind, start: i, end: i + n})
		i += n
	}
	return out
}

// next returns the kind and length of the token src starts with.
func next(src string) (tokenKind, int) {
	c := src[0]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
		n := 1
		for n < len(src) && strings.IndexByte(" \t\n\r\f", src[n]) >= 0 {
			n++
		}
		return tokSpace, n
	case c == '-' && strings.HasPrefix(src, "--"):
		if n := strings.IndexByte(src, '\n'); n >= 0 {
			return tokComment, n
		}
		return tokComment, len(src)
	case c == '/' && strings.HasPrefix(src, "/*"):
		if n := strings.Index(src[2:], "*/"); n >= 0 {
			return tokComment, n + 4
		}
		return tokComment, len(src)
	case c == '\'':
		return tokString, quoted(src, '\'')
	case (c == 'x' || c == 'X') && len(src) > 1 && src[1] == '\'':
		return tokString, 1 + quoted(src[1:], '\'')
	case c == '"' || c == '`':
		return tokQuoted, quoted(src, c)
	case c == '[':
		if n := strings.IndexByte(src, ']'); n >= 0 {
			return tokQuoted, n + 1
		}
		return tokQuoted, len(src)
	case c == ';':
		return tokSemi, 1
	case isDigit(c) || c == '.' && len(src) > 1 && isDigit(src[1]):
		n := 1
		for n < len(src) && (isWordChar(src[n]) || src[n] == '.' ||
			(src[n] == '+' || src[n] == '-') && (src[n-1] == 'e' || src[n-1] == 'E')) {
			n++
		}
		return tokNumber, n
	case c == '?' || c == ':' || c == '@' || c == '$':
		n := 1
		for n < len(src) && isWordChar(src[n]) {
			n++
		}
		if n == 1 && c == ':' && len(src) > 1 && src[1] == ':' {
			return tokPunct, 2 // PostgreSQL's cast, which SQLite refuses
		}
		return tokVariable, n
	case isWordStart(c):
		n := 1
		for n < len(src) && isWordChar(src[n]) {
			n++
		}
		return tokWord, n
	}
	for _, op := range []string{"->>", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"} {
		if strings.HasPrefix(src, op) {
			return tokPunct, len(op)
		}
	}
	return tokPunct, 1
}

// quoted returns the length of the quoted token src starts with, a doubled
// quote standing for itself.
func quoted(src string, q byte) int {
	for i := 1; i < len(src); i++ {
		if src[i] == q {
			if i+1 < len(src) && src[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(src)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isWordStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}
func isWordChar(c byte) bool { return isWordStart(c) || isDigit(c) || c == '$' }

// significant reports whether a token carries meaning (not a space or a
// comment).
func (t token) significant() bool { return t.kind != tokSpace && t.kind != tokComment }

// unquote returns the name a word or quoted token spells.
func unquote(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '"', '`':
		q := s[:1]
		return strings.ReplaceAll(strings.TrimSuffix(s[1:], q), q+q, q)
	case '[':
		return strings.TrimSuffix(s[1:], "]")
	case '\'':
		// SQLite takes a string where a name is expected, for old schemas.
		return strings.ReplaceAll(strings.TrimSuffix(s[1:], "'"), "''", "'")
	}
	return s
}
