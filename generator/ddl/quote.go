package ddl

//go:generate go run ./internal/kwgen

import "strings"

type keywordKind int

const (
	unreservedKeyword keywordKind = iota + 1
	colNameKeyword
	typeFuncNameKeyword
	reservedKeyword
)

// QuoteIdent quotes an identifier when PostgreSQL needs it quoted, following
// quote_ident: anything but lower-case letters, digits and underscores, a
// leading digit, or a keyword that is not unreserved.
func QuoteIdent(s string) string {
	if s != "" && safeIdent(s) {
		if k, ok := keywords[s]; !ok || k == unreservedKeyword {
			return s
		}
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func safeIdent(s string) bool {
	if !(s[0] >= 'a' && s[0] <= 'z' || s[0] == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// IsKeyword reports whether s is a PostgreSQL keyword of any category.
func IsKeyword(s string) bool {
	_, ok := keywords[s]
	return ok
}
