package ddl

import (
	"encoding/json"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// doReader turns the PL/pgSQL tree of a DO block into DoItems.
type doReader struct {
	c     *converter
	body  string
	start int   // offset of the body in the statement text, or -1
	lines []int // line starts in body
	out   *Do
}

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
		if i := strings.Index(c.sql[bodyLoc:], body); i >= 0 && i <= 64 {
			start = int(bodyLoc) + i
		}
	}
	// The body is quoted with a tag it does not hold, so that no part of
	// it can end the quote and be read as something else.
	tag := "$crudgen_do$"
	for i := 2; strings.Contains(body, tag); i++ {
		tag = "$crudgen_do" + strconv.Itoa(i) + "$"
	}
	fn := "CREATE FUNCTION pg_temp.crudgen_do() RETURNS void LANGUAGE plpgsql AS " + tag + body + tag
	tree, err := pg.ParsePlPgSqlToJSON(fn)
	if err != nil {
		out.Error = "DO block: " + err.Error()
		return out
	}
	var parsed []map[string]map[string]any
	if err := json.Unmarshal([]byte(tree), &parsed); err != nil || len(parsed) != 1 {
		out.Error = "DO block: cannot read the PL/pgSQL tree"
		return out
	}
	r := &doReader{c: c, body: body, start: start, lines: lineStarts(body), out: out}
	fnTree := parsed[0]["PLpgSQL_function"]
	out.Body = r.stmt(fnTree["action"])
	return out
}

// list reads a list of PL/pgSQL statements.
func (r *doReader) list(v any) []*DoItem {
	var items []*DoItem
	l, _ := v.([]any)
	for _, e := range l {
		items = append(items, r.stmt(e)...)
	}
	return items
}

// stmt reads one PL/pgSQL statement ({"PLpgSQL_stmt_x": {...}}).
func (r *doReader) stmt(v any) []*DoItem {
	m, _ := v.(map[string]any)
	for kind, val := range m { // one key: the statement type
		s, _ := val.(map[string]any)
		switch kind {
		case "PLpgSQL_stmt_block":
			items := r.list(s["body"])
			if exc, ok := s["exceptions"].(map[string]any); ok {
				var handlers []*DoItem
				block, _ := exc["PLpgSQL_exception_block"].(map[string]any)
				for _, e := range asList(block["exc_list"]) {
					x, _ := e.(map[string]any)["PLpgSQL_exception"].(map[string]any)
					handlers = append(handlers, r.list(x["action"])...)
				}
				if len(handlers) > 0 {
					items = append(items, &DoItem{Maybe: handlers})
				}
			}
			return items
		case "PLpgSQL_stmt_execsql":
			return r.sql(lineno(s), exprQuery(s["sqlstmt"]), false)
		case "PLpgSQL_stmt_dynexecute":
			return r.sql(lineno(s), exprQuery(s["query"]), true)
		case "PLpgSQL_stmt_if":
			branches := []*DoBranch{{Cond: r.cond(s["cond"]), Body: r.list(s["then_body"])}}
			for _, e := range asList(s["elsif_list"]) {
				x, _ := e.(map[string]any)["PLpgSQL_if_elsif"].(map[string]any)
				branches = append(branches, &DoBranch{Cond: r.cond(x["cond"]), Body: r.list(x["stmts"])})
			}
			if _, ok := s["else_body"]; ok {
				branches = append(branches, &DoBranch{Body: r.list(s["else_body"])})
			}
			return []*DoItem{{If: branches}}
		default:
			// Loops and CASE: what they hold may run any number of times.
			var maybe []*DoItem
			for _, key := range []string{"body", "else_stmts"} {
				maybe = append(maybe, r.list(s[key])...)
			}
			for _, e := range asList(s["case_when_list"]) {
				x, _ := e.(map[string]any)["PLpgSQL_case_when"].(map[string]any)
				maybe = append(maybe, r.list(x["stmts"])...)
			}
			if len(maybe) > 0 {
				return []*DoItem{{Maybe: maybe}}
			}
		}
	}
	return nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// cond parses an IF condition.
func (r *doReader) cond(v any) *Expr {
	q := exprQuery(v)
	tree, err := pg.Parse("SELECT " + q)
	if err != nil || len(tree.Stmts) != 1 {
		return &Expr{Kind: ExprOther, Text: q}
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return &Expr{Kind: ExprOther, Text: q}
	}
	ic := &converter{pos: func(int32) Pos { return r.c.pos(-1) }}
	e := ic.expr(sel.TargetList[0].GetResTarget().GetVal())
	e.Text = q
	return e
}

// sql parses a statement of the body; dynamic ones only when EXECUTE is
// given a constant string.
func (r *doReader) sql(line int, query string, dynamic bool) []*DoItem {
	text := query
	if dynamic {
		lit, ok := constantString(query)
		if !ok {
			r.out.Dynamic++
			return nil
		}
		text = lit
	}
	// Locate the statement in the body to report positions inside it.
	off := -1
	if r.start >= 0 && line >= 1 && line <= len(r.lines) {
		if i := strings.Index(r.body[r.lines[line-1]:], query); i >= 0 {
			off = r.start + r.lines[line-1] + i
		}
	}
	pos := func(loc int32) Pos {
		if off < 0 {
			return r.c.pos(-1)
		}
		if dynamic || loc < 0 {
			return r.c.pos(int32(off)) // #nosec G115 -- an offset in a statement libpg_query located with int32 offsets
		}
		return r.c.pos(int32(off) + loc) // #nosec G115 -- an offset in a statement libpg_query located with int32 offsets
	}
	inner, err := pg.Parse(text)
	if err != nil {
		return nil // PL/pgSQL accepted it; variables make it unparsable alone
	}
	var items []*DoItem
	for _, raw := range inner.Stmts {
		ic := &converter{pos: pos, sql: text}
		for _, n := range ic.stmt(raw.Stmt) {
			items = append(items, &DoItem{Statement: &Statement{Pos: pos(raw.StmtLocation), Text: strings.TrimSpace(text), Node: n}})
		}
		if err := ic.finishDeparse(); err != nil {
			r.out.Error = err.Error()
		}
	}
	return items
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
