package schema

import (
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
)

// DO blocks: migrations guard DDL with IF conditions on the system
// catalogs (IF NOT EXISTS (SELECT FROM information_schema.columns ...)).
// crudgen evaluates the conditions it can against the catalog as it stands
// and applies the branch PostgreSQL would take. Where it cannot, it applies
// what a fresh database would most likely run: statements that create or
// change objects, but not those that remove them.

func (b *builder) applyDo(d *ddl.Do) error {
	outer := b.stmt
	defer func() { b.stmt = outer }()
	b.skip("DO")
	if d.Error != "" {
		b.note("%s", d.Error)
	}
	if d.Dynamic > 0 {
		b.note("DO block runs %d statement(s) built at run time (EXECUTE); what they create is not seen", d.Dynamic)
	}
	return b.applyDoItems(d.Body, false)
}

// applyDoItems applies the steps of a DO block; unsure says they may not
// run at all.
func (b *builder) applyDoItems(items []*ddl.DoItem, unsure bool) error {
	for _, it := range items {
		switch {
		case it.Statement != nil:
			st := it.Statement
			if unsure && destructive(st.Node) {
				b.cat.Notes = append(b.cat.Notes, ddl.Errorf(st.Pos, "statement in DO block not applied: it removes objects under a condition crudgen cannot evaluate"))
				continue
			}
			if err, ok := b.failed[st]; ok {
				b.cat.Notes = append(b.cat.Notes, ddl.Errorf(st.Pos, "statement in DO block not applied: %s", errMsg(err)))
				continue
			}
			b.stmt = st
			if err := b.apply(st.Node); err != nil {
				if b.inPlace {
					b.cat.Notes = append(b.cat.Notes, ddl.Errorf(st.Pos, "statement in DO block failed, what it did before failing is kept: %s", errMsg(err)))
					continue
				}
				return &doFailure{stmt: st, err: err}
			}
		case it.Maybe != nil:
			if err := b.applyDoItems(it.Maybe, true); err != nil {
				return err
			}
		case it.If != nil:
			if err := b.applyIf(it.If, unsure); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) applyIf(branches []*ddl.DoBranch, unsure bool) error {
	for _, br := range branches {
		if br.Cond == nil {
			return b.applyDoItems(br.Body, unsure)
		}
		v, known := b.evalCond(br.Cond)
		if !known {
			// Which branch runs is unknown: take the first as a guess.
			return b.applyDoItems(br.Body, true)
		}
		if v {
			return b.applyDoItems(br.Body, unsure)
		}
	}
	return nil
}

// evalCond evaluates an IF condition; known is false when crudgen cannot.
func (b *builder) evalCond(e *ddl.Expr) (value, known bool) {
	switch e.Kind {
	case ddl.ExprNot:
		v, ok := b.evalCond(e.Args[0])
		return !v, ok
	case ddl.ExprAnd, ddl.ExprOr:
		and := e.Kind == ddl.ExprAnd
		all := true
		for _, a := range e.Args {
			v, ok := b.evalCond(a)
			switch {
			case ok && v != and: // false in AND, true in OR decides
				return v, true
			case !ok:
				all = false
			}
		}
		return and, all
	case ddl.ExprSubquery:
		switch e.Names[0] {
		case "exists":
			n, ok := b.countRows(e.Query)
			return n > 0, ok
		case "expr": // (SELECT count(*) = 2 FROM ...)
			if len(e.Query.Targets) == 1 && e.Query.Targets[0].Expr != nil {
				if t := e.Query.Targets[0].Expr; t.Kind == ddl.ExprOp && len(t.Args) == 2 && isCountStar(t.Args[0]) {
					n, ok := b.countRows(e.Query)
					m, isInt := intConst(t.Args[1])
					if ok && isInt {
						return compare(n, t.Names, m)
					}
				}
			}
		}
	case ddl.ExprOp: // (SELECT count(*) FROM ...) > 0
		if len(e.Args) == 2 && e.Args[0].Kind == ddl.ExprSubquery && e.Args[0].Names[0] == "expr" {
			q := e.Args[0].Query
			if len(q.Targets) == 1 && isCountStar(q.Targets[0].Expr) {
				n, ok := b.countRows(q)
				m, isInt := intConst(e.Args[1])
				if ok && isInt {
					return compare(n, e.Names, m)
				}
			}
		}
	}
	return false, false
}

func isCountStar(e *ddl.Expr) bool {
	return e != nil && e.Kind == ddl.ExprFunc && len(e.Names) > 0 && e.Names[len(e.Names)-1] == "count"
}

func intConst(e *ddl.Expr) (int, bool) {
	if e.Kind != ddl.ExprConst || e.Const != ddl.ConstInt {
		return 0, false
	}
	n, err := strconv.Atoi(e.Value)
	return n, err == nil
}

func compare(n int, op []string, m int) (bool, bool) {
	if len(op) != 1 {
		return false, false
	}
	switch op[0] {
	case "=":
		return n == m, true
	case "<>", "!=":
		return n != m, true
	case ">":
		return n > m, true
	case ">=":
		return n >= m, true
	case "<":
		return n < m, true
	case "<=":
		return n <= m, true
	}
	return false, false
}

// countRows counts the rows of a query over one system catalog view with a
// WHERE of equalities, or reports that it cannot.
func (b *builder) countRows(q *ddl.Query) (int, bool) {
	if q == nil || len(q.From) != 1 || q.From[0].Rel == nil || q.SetOp != "" {
		return 0, false
	}
	rows, ok := b.catalogRows(*q.From[0].Rel)
	if !ok {
		return 0, false
	}
	n := 0
	for _, row := range rows {
		match, ok := rowMatches(row, q.Where)
		if !ok {
			return 0, false
		}
		if match {
			n++
		}
	}
	return n, true
}

// rowMatches evaluates a WHERE of col = 'literal', col IN (...), AND and
// OR on a catalog row.
func rowMatches(row map[string]string, e *ddl.Expr) (bool, bool) {
	if e == nil {
		return true, true
	}
	switch e.Kind {
	case ddl.ExprAnd, ddl.ExprOr:
		and := e.Kind == ddl.ExprAnd
		for _, a := range e.Args {
			v, ok := rowMatches(row, a)
			if !ok {
				return false, false
			}
			if v != and {
				return v, true
			}
		}
		return and, true
	case ddl.ExprNot:
		v, ok := rowMatches(row, e.Args[0])
		return !v, ok
	case ddl.ExprOp:
		if len(e.Args) != 2 || len(e.Names) != 1 || (e.Names[0] != "=" && e.Names[0] != "<>") {
			return false, false
		}
		val, ok := rowValue(row, e.Args[0])
		lit, isLit := literal(e.Args[1])
		if !ok || !isLit {
			val, ok = rowValue(row, e.Args[1])
			lit, isLit = literal(e.Args[0])
		}
		if !ok || !isLit {
			return false, false
		}
		return (val == lit) == (e.Names[0] == "="), true
	case ddl.ExprIn:
		val, ok := rowValue(row, e.Args[0])
		if !ok {
			return false, false
		}
		found := false
		for _, a := range e.Args[1:] {
			lit, isLit := literal(a)
			if !isLit {
				return false, false
			}
			found = found || lit == val
		}
		return found != e.Not, true
	}
	return false, false
}

func rowValue(row map[string]string, e *ddl.Expr) (string, bool) {
	if e.Kind != ddl.ExprColumn || len(e.Names) == 0 {
		return "", false
	}
	v, ok := row[e.Names[len(e.Names)-1]]
	return v, ok
}

func literal(e *ddl.Expr) (string, bool) {
	for e.Kind == ddl.ExprCast {
		e = e.Args[0]
	}
	if e.Kind == ddl.ExprConst && e.Const == ddl.ConstString {
		return e.Value, true
	}
	return "", false
}

// catalogRows lists the rows of the system catalog views migrations query,
// as PostgreSQL would show them for the catalog built so far. Only the
// columns crudgen knows are present; a condition on another column cannot
// be evaluated.
func (b *builder) catalogRows(q ddl.QName) ([]map[string]string, bool) {
	schema, name := q.Schema, q.Name
	if schema == "" {
		if !strings.HasPrefix(name, "pg_") {
			return nil, false
		}
		schema = "pg_catalog"
	}
	var rows []map[string]string
	add := func(kv ...string) {
		row := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			row[kv[i]] = kv[i+1]
		}
		rows = append(rows, row)
	}
	tables := b.cat.Tables
	switch schema + "." + name {
	case "information_schema.schemata", "pg_catalog.pg_namespace":
		for _, s := range b.cat.Schemas {
			add("schema_name", s.Name, "nspname", s.Name)
		}
	case "information_schema.tables":
		for _, t := range tables {
			typ := "BASE TABLE"
			if t.Kind == KindView {
				typ = "VIEW"
			}
			if t.Kind != KindMaterializedView {
				add("table_schema", t.Schema, "table_name", t.Name, "table_type", typ)
			}
		}
	case "pg_catalog.pg_tables":
		for _, t := range tables {
			if !t.IsView() {
				add("schemaname", t.Schema, "tablename", t.Name)
			}
		}
	case "pg_catalog.pg_views":
		for _, t := range tables {
			if t.Kind == KindView {
				add("schemaname", t.Schema, "viewname", t.Name)
			}
		}
	case "information_schema.columns":
		for _, t := range tables {
			for _, c := range t.Columns {
				add("table_schema", t.Schema, "table_name", t.Name, "column_name", c.Name)
			}
		}
	case "pg_catalog.pg_indexes":
		for _, t := range tables {
			for _, ix := range t.indexes {
				add("schemaname", t.Schema, "tablename", t.Name, "indexname", ix.name)
			}
		}
	case "information_schema.table_constraints", "pg_catalog.pg_constraint":
		for _, t := range tables {
			for _, k := range t.constraintList() {
				add("constraint_schema", t.Schema, "constraint_name", k.name, "table_schema", t.Schema,
					"table_name", t.Name, "constraint_type", k.kind, "conname", k.name)
			}
		}
	case "information_schema.constraint_column_usage":
		// Columns a constraint uses; for a foreign key, the referenced ones.
		for _, t := range tables {
			for _, k := range t.constraintList() {
				for _, c := range k.usage {
					add("table_schema", c.table.Schema, "table_name", c.table.Name, "column_name", c.column,
						"constraint_schema", t.Schema, "constraint_name", k.name)
				}
			}
		}
	case "pg_catalog.pg_class":
		for _, ns := range b.pathSchemasAll() {
			for relname := range ns.rels {
				add("relname", relname)
			}
		}
	case "pg_catalog.pg_type":
		for _, ns := range b.pathSchemasAll() {
			for typname := range ns.types {
				add("typname", typname)
			}
		}
	case "pg_catalog.pg_enum":
		for _, e := range b.cat.Enums {
			for _, v := range e.Values {
				add("enumlabel", v)
			}
		}
	default:
		return nil, false
	}
	return rows, true
}

// pathSchemasAll returns every schema, in a stable order.
func (b *builder) pathSchemasAll() []*namespace {
	var out []*namespace
	for _, s := range b.cat.Schemas {
		out = append(out, b.schemas[s.Name])
	}
	return out
}

type constraintRow struct {
	name, kind string
	usage      []columnUse
}

type columnUse struct {
	table  *Table
	column string
}

// constraintList lists the constraints of t as information_schema shows them.
func (t *Table) constraintList() []constraintRow {
	var out []constraintRow
	uses := func(tt *Table, cols []*Column) []columnUse {
		var u []columnUse
		for _, c := range cols {
			u = append(u, columnUse{tt, c.Name})
		}
		return u
	}
	if k := t.PrimaryKey; k != nil {
		out = append(out, constraintRow{k.Name, "PRIMARY KEY", uses(t, k.Columns)})
	}
	for _, k := range t.Unique {
		if !k.Index {
			out = append(out, constraintRow{k.Name, "UNIQUE", uses(t, k.Columns)})
		}
	}
	for _, fk := range t.ForeignKeys {
		out = append(out, constraintRow{fk.Name, "FOREIGN KEY", uses(fk.Ref, fk.RefColumns)})
	}
	for _, k := range t.Checks {
		out = append(out, constraintRow{k.Name, "CHECK", nil})
	}
	return out
}
