package sqlite

import (
	"strings"
)

// SQLite's pragmas give a table's columns, keys and foreign keys, but not
// its CHECK constraints, generated column expressions, collations or
// constraint names: those are read from the CREATE TABLE text SQLite keeps in sqlite_schema, which is the statement
// as written.

// tableText is what the CREATE TABLE text of a table says beyond the
// pragmas.
type tableText struct {
	columns     map[string]*columnText // by name, as SQLite compares names: case-insensitively
	checks      []checkText
	foreignKeys []foreignKeyText
	pkName      string
}

type columnText struct {
	collation string
	generated string // "stored" or "virtual"
	genExpr   string
}

type checkText struct{ name, expr string }

type foreignKeyText struct {
	name    string
	columns []string
	ref     string
}

// parseCreateTable reads the CREATE TABLE text sql. It is forgiving: SQLite
// has accepted the statement, so what it does not understand is passed
// over.
func parseCreateTable(sql string) *tableText {
	out := &tableText{columns: map[string]*columnText{}}
	s := &statement{text: sql}
	for _, t := range lex(sql) {
		if t.significant() {
			s.tokens = append(s.tokens, t)
		}
	}
	open := -1
	for i := range s.tokens {
		if s.tok(i) == "(" {
			open = i
			break
		}
		if s.word(i) == "AS" {
			return out // CREATE TABLE ... AS SELECT: no definitions
		}
	}
	if open < 0 {
		return out
	}
	close := s.matching(open)
	for _, item := range s.splitItems(open+1, close) {
		out.item(item)
	}
	return out
}

// sub returns the statement cut to its tokens from to to.
func (s *statement) sub(from, to int) *statement {
	c := *s
	c.tokens = s.tokens[from:to]
	return &c
}

// matching returns the index of the token that closes the parenthesis at
// open, or the number of tokens.
func (s *statement) matching(open int) int {
	depth := 0
	for i := open; i < len(s.tokens); i++ {
		switch s.tok(i) {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s.tokens)
}

// splitItems cuts the tokens from to to at commas outside parentheses.
func (s *statement) splitItems(from, to int) []*statement {
	var out []*statement
	depth, start := 0, from
	for i := from; i < to; i++ {
		switch s.tok(i) {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, s.sub(start, i))
				start = i + 1
			}
		}
	}
	if start < to {
		out = append(out, s.sub(start, to))
	}
	return out
}

// paren returns the text inside the parentheses opening at i, and the
// index after them.
func (s *statement) paren(i int) (string, int) {
	if i >= len(s.tokens) || s.tok(i) != "(" {
		return "", i
	}
	c := min(s.matching(i), len(s.tokens)-1)
	if c <= i+1 {
		return "", c + 1
	}
	return s.text[s.tokens[i+1].start:s.tokens[c-1].end], c + 1
}

// item reads one column definition or table constraint.
func (t *tableText) item(s *statement) {
	name := ""
	var col *columnText
	i := 0
	switch s.word(0) {
	case "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
	default:
		col = &columnText{}
		t.columns[strings.ToLower(unquote(s.tok(0)))] = col
		i++
	}
	for i < len(s.tokens) {
		switch s.word(i) {
		case "CONSTRAINT":
			if i+1 < len(s.tokens) {
				name = unquote(s.tok(i + 1))
			}
			i += 2
			continue
		case "CHECK":
			expr, after := s.paren(i + 1)
			t.checks = append(t.checks, checkText{name: name, expr: expr})
			i, name = after, ""
			continue
		case "PRIMARY":
			t.pkName, name = name, ""
		case "COLLATE":
			if col != nil && i+1 < len(s.tokens) {
				col.collation = unquote(s.tok(i + 1))
			}
			i += 2
			continue
		case "GENERATED", "AS":
			j := i
			for j < len(s.tokens) && s.word(j) != "AS" {
				j++
			}
			if col != nil {
				expr, after := s.paren(j + 1)
				col.genExpr, col.generated = expr, "virtual"
				if s.word(after) == "STORED" {
					col.generated = "stored"
				}
				i = after
				continue
			}
		case "FOREIGN":
			var cols []string
			j := i + 2 // FOREIGN KEY (
			if j < len(s.tokens) && s.tok(j) == "(" {
				c := s.matching(j)
				for k := j + 1; k < c; k++ {
					if s.tok(k) != "," {
						cols = append(cols, unquote(s.tok(k)))
					}
				}
				j = c + 1
			}
			ref := ""
			if s.word(j) == "REFERENCES" && j+1 < len(s.tokens) {
				ref = unquote(s.tok(j + 1))
			}
			t.foreignKeys = append(t.foreignKeys, foreignKeyText{name: name, columns: cols, ref: ref})
			name = ""
		case "REFERENCES":
			if col != nil && i+1 < len(s.tokens) {
				t.foreignKeys = append(t.foreignKeys, foreignKeyText{name: name, columns: []string{unquote(s.tok(0))}, ref: unquote(s.tok(i + 1))})
			}
			name = ""
		case "UNIQUE", "NOT", "DEFAULT":
			name = ""
		}
		if i < len(s.tokens) && s.tok(i) == "(" {
			i = s.matching(i) + 1
			continue
		}
		i++
	}
}
