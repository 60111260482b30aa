package ddl

import (
	"encoding/json"
	"sort"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// doBlock reads the SQL statements inside a DO block's PL/pgSQL body.
func (c *converter) doBlock(d *pg.DoStmt) Node {
	var body string
	bodyLoc := int32(-1)
	language := "plpgsql"
	for _, a := range d.Args {
		e := a.GetDefElem()
		if e == nil {
			continue
		}
		switch e.Defname {
		case "as":
			body = e.Arg.GetString_().GetSval()
			bodyLoc = e.Location
		case "language":
			language = strings.ToLower(e.Arg.GetString_().GetSval())
		}
	}
	out := &Do{}
	if language != "plpgsql" {
		out.Error = "DO block in language " + language + " is not read"
		return out
	}
	// The body starts after the opening quote or $tag$ of its literal.
	start := -1
	if bodyLoc >= 0 && int(bodyLoc) < len(c.sql) {
		rest := c.sql[bodyLoc:]
		if i := strings.Index(rest, body); i >= 0 && i <= 64 {
			start = int(bodyLoc) + i
		}
	}
	fn := "CREATE FUNCTION pg_temp.crudgen_do() RETURNS void LANGUAGE plpgsql AS $crudgen_do$" + body + "$crudgen_do$"
	tree, err := pg.ParsePlPgSqlToJSON(fn)
	if err != nil {
		out.Error = "DO block: " + err.Error()
		return out
	}
	var parsed any
	if err := json.Unmarshal([]byte(tree), &parsed); err != nil {
		out.Error = "DO block: " + err.Error()
		return out
	}
	var found []plStmt
	collectPL(parsed, &found)
	sort.SliceStable(found, func(i, j int) bool { return found[i].line < found[j].line })
	lines := lineStarts(body)
	for _, st := range found {
		query := st.query
		if st.dynamic {
			lit, ok := constantString(query)
			if !ok {
				out.Dynamic++
				continue
			}
			query = lit
		}
		// Locate the statement in the body to report positions inside it.
		off := -1
		if start >= 0 && st.line >= 1 && st.line <= len(lines) {
			if i := strings.Index(body[lines[st.line-1]:], st.query); i >= 0 {
				off = start + lines[st.line-1] + i
			}
		}
		pos := func(loc int32) Pos {
			if off < 0 {
				return c.pos(-1)
			}
			if st.dynamic || loc < 0 {
				return c.pos(int32(off))
			}
			return c.pos(int32(off) + loc)
		}
		inner, err := pg.Parse(query)
		if err != nil {
			continue // PL/pgSQL accepted it; variables make it unparsable alone
		}
		for _, raw := range inner.Stmts {
			ic := &converter{pos: pos, sql: query}
			for _, n := range ic.stmt(raw.Stmt) {
				out.Statements = append(out.Statements, &Statement{Pos: pos(raw.StmtLocation), Text: strings.TrimSpace(query), Node: n})
			}
			if err := ic.finishDeparse(); err != nil {
				out.Error = err.Error()
			}
		}
	}
	return out
}

type plStmt struct {
	line    int
	query   string
	dynamic bool
}

// collectPL finds the SQL statements and EXECUTEs in a PL/pgSQL parse tree.
func collectPL(v any, out *[]plStmt) {
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["PLpgSQL_stmt_execsql"].(map[string]any); ok {
			*out = append(*out, plStmt{line: lineno(s), query: exprQuery(s["sqlstmt"])})
		}
		if s, ok := x["PLpgSQL_stmt_dynexecute"].(map[string]any); ok {
			*out = append(*out, plStmt{line: lineno(s), query: exprQuery(s["query"]), dynamic: true})
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k != "PLpgSQL_stmt_execsql" && k != "PLpgSQL_stmt_dynexecute" {
				collectPL(x[k], out)
			}
		}
	case []any:
		for _, e := range x {
			collectPL(e, out)
		}
	}
}

func lineno(m map[string]any) int {
	f, _ := m["lineno"].(float64)
	return int(f)
}

func exprQuery(v any) string {
	m, _ := v.(map[string]any)
	e, _ := m["PLpgSQL_expr"].(map[string]any)
	q, _ := e["query"].(string)
	return q
}

// constantString returns the value of a SQL expression that is a single
// string literal, as in EXECUTE 'CREATE TABLE ...'.
func constantString(expr string) (string, bool) {
	tree, err := pg.Parse("SELECT " + expr)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return "", false
	}
	a := sel.TargetList[0].GetResTarget().GetVal().GetAConst()
	if a == nil || a.GetSval() == nil {
		return "", false
	}
	return a.GetSval().Sval, true
}

func lineStarts(s string) []int {
	out := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}
