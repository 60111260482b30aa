package sqlite

import (
	"strings"
)

// SQLite's pragmas give a table's columns, keys and foreign keys, but not
// its CHECK constraints, AUTOINCREMENT, generated column expressions,
// collations, constraint names or table options: those are read from the
// CREATE TABLE text SQLite keeps in sqlite_schema, which is the statement
// as written.

// tableText is what the CREATE TABLE text of a table says beyond the
// pragmas.
type tableText struct {
	columns     map[string]*columnText // by name, as SQLite compares names: case-insensitively
	checks      []checkText
	foreignKeys []foreignKeyText
	pkName      string
	strict      bool
	withoutRow  bool
}

type columnText struct {
	autoincrement bool
	collation     string
	generated     string // "stored" or "virtual"
	genExpr       string
}

type checkText struct {
	name, expr string
	off        int // of expr in the CREATE text
}

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
	all := lex(sql)
	toks := make([]token, 0, len(all))
	for _, t := range all {
		if t.significant() {
			toks = append(toks, t)
		}
	}
	text := func(i int) string { return sql[toks[i].start:toks[i].end] }
	word := func(i int) string {
		if i < len(toks) && toks[i].kind == tokWord {
			return strings.ToUpper(text(i))
		}
		return ""
	}
	open := -1
	for i := range toks {
		if text(i) == "(" {
			open = i
			break
		}
		if word(i) == "AS" {
			return out // CREATE TABLE ... AS SELECT: no definitions
		}
	}
	if open < 0 {
		return out
	}
	close := matching(sql, toks, open)
	for _, item := range splitItems(sql, toks, open+1, close) {
		out.item(sql, toks, item[0], item[1])
	}
	for i := close + 1; i < len(toks); i++ {
		switch word(i) {
		case "STRICT":
			out.strict = true
		case "ROWID":
			out.withoutRow = true
		}
	}
	return out
}

// matching returns the index of the token that closes the parenthesis at
// open, or len(toks).
func matching(sql string, toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch sql[toks[i].start:toks[i].end] {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

// splitItems cuts toks[from:to] at commas outside parentheses.
func splitItems(sql string, toks []token, from, to int) [][2]int {
	var out [][2]int
	depth, start := 0, from
	for i := from; i < to; i++ {
		switch sql[toks[i].start:toks[i].end] {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, [2]int{start, i})
				start = i + 1
			}
		}
	}
	if start < to {
		out = append(out, [2]int{start, to})
	}
	return out
}

// item reads one column definition or table constraint, toks[from:to].
func (t *tableText) item(sql string, toks []token, from, to int) {
	text := func(i int) string { return sql[toks[i].start:toks[i].end] }
	word := func(i int) string {
		if i < to && toks[i].kind == tokWord {
			return strings.ToUpper(text(i))
		}
		return ""
	}
	// paren returns the text inside the parentheses opening at i, its
	// offset, and the index after them.
	paren := func(i int) (string, int, int) {
		if i >= to || text(i) != "(" {
			return "", 0, i
		}
		c := min(matching(sql, toks[:to], i), to-1)
		if c <= i+1 {
			return "", 0, c + 1
		}
		return sql[toks[i+1].start:toks[c-1].end], toks[i+1].start, c + 1
	}
	name := ""
	var col *columnText
	i := from
	switch word(from) {
	case "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
	default:
		col = &columnText{}
		t.columns[strings.ToLower(unquote(text(from)))] = col
		i++
	}
	for i < to {
		switch word(i) {
		case "CONSTRAINT":
			if i+1 < to {
				name = unquote(text(i + 1))
			}
			i += 2
			continue
		case "CHECK":
			expr, off, after := paren(i + 1)
			t.checks = append(t.checks, checkText{name: name, expr: expr, off: off})
			i, name = after, ""
			continue
		case "PRIMARY":
			if col == nil {
				t.pkName = name
			} else {
				t.pkName = name
				for j := i + 1; j < to && word(j) != "CONSTRAINT"; j++ {
					if word(j) == "AUTOINCREMENT" {
						col.autoincrement = true
					}
				}
			}
			name = ""
		case "COLLATE":
			if col != nil && i+1 < to {
				col.collation = unquote(text(i + 1))
			}
			i += 2
			continue
		case "GENERATED", "AS":
			j := i
			for j < to && word(j) != "AS" {
				j++
			}
			if col != nil {
				expr, _, after := paren(j + 1)
				col.genExpr, col.generated = expr, "virtual"
				if word(after) == "STORED" {
					col.generated = "stored"
				}
				i = after
				continue
			}
		case "FOREIGN":
			var cols []string
			j := i + 2 // FOREIGN KEY (
			if j < to && text(j) == "(" {
				c := matching(sql, toks[:to], j)
				for k := j + 1; k < c; k++ {
					if text(k) != "," {
						cols = append(cols, unquote(text(k)))
					}
				}
				j = c + 1
			}
			ref := ""
			if word(j) == "REFERENCES" && j+1 < to {
				ref = unquote(text(j + 1))
			}
			t.foreignKeys = append(t.foreignKeys, foreignKeyText{name: name, columns: cols, ref: ref})
			name = ""
		case "REFERENCES":
			if col != nil && i+1 < to {
				t.foreignKeys = append(t.foreignKeys, foreignKeyText{name: name, columns: []string{unquote(text(from))}, ref: unquote(text(i + 1))})
			}
			name = ""
		case "UNIQUE", "NOT", "DEFAULT":
			name = ""
		}
		if i < to && text(i) == "(" {
			i = matching(sql, toks[:to], i) + 1
			continue
		}
		i++
	}
}
