package sqlite

import (
	"database/sql"
	"sort"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
)

// query runs a query and calls each for every row; it closes the rows and
// reports their error.
func (l *loader) query(q string, args []any, each func(*sql.Rows) error) (err error) {
	rows, err := l.conn.QueryContext(l.ctx, q, args...)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
	}()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readScript sets the catalog's Script: the statements sqlite_schema
// keeps, in the order they were created (tables before their indexes,
// triggers and the views on them), without SQLite's own objects and the
// virtual tables left out.
func (l *loader) readScript() error {
	var b strings.Builder
	err := l.query(`SELECT name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`, nil, func(rows *sql.Rows) error {
		var name, table, stmt string
		if err := rows.Scan(&name, &table, &stmt); err != nil {
			return err
		}
		if l.virtual[strings.ToLower(table)] || l.virtual[strings.ToLower(name)] {
			return nil
		}
		b.WriteString(stmt)
		b.WriteString(";\n")
		return nil
	})
	l.cat.Script = b.String()
	return err
}

// readCatalog reads the tables and views the statements built, in the
// order of sqlite_schema, which is the order they were created in.
func (l *loader) readCatalog() error {
	type object struct {
		kind, name, sql, listType string
		withoutRowid              bool
	}
	var objects []object
	err := l.query(`SELECT s.type, s.name, s.sql, t.type, t.wr
		FROM sqlite_schema s JOIN pragma_table_list t ON t.name = s.name AND t.schema = 'main'
		WHERE s.type IN ('table', 'view') AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY s.rowid`, nil, func(rows *sql.Rows) error {
		var o object
		var text sql.NullString
		if err := rows.Scan(&o.kind, &o.name, &text, &o.listType, &o.withoutRowid); err != nil {
			return err
		}
		o.sql = text.String
		objects = append(objects, o)
		return nil
	})
	if err != nil {
		return err
	}
	byName := map[string]*schema.Table{}
	texts := map[*schema.Table]*tableText{}
	for _, o := range objects {
		if o.listType == "shadow" || o.listType == "virtual" {
			continue
		}
		t := &schema.Table{Schema: Schema, Name: o.name, Kind: schema.KindTable, Pos: l.pos[strings.ToLower(o.name)]}
		if o.kind == "view" {
			t.Kind = schema.KindView
		}
		tt := parseCreateTable(o.sql)
		if o.kind == "view" {
			tt = &tableText{columns: map[string]*columnText{}}
		}
		if err := l.columns(t, tt, !o.withoutRowid); err != nil {
			if o.kind == "view" {
				// SQLite creates a view over tables that do not exist;
				// reading it fails.
				l.cat.Notes = append(l.cat.Notes, ddl.Errorf(t.Pos, "view %s left out: %s", o.name, message(err)))
				continue
			}
			return ddl.Errorf(t.Pos, "table %s: %s", o.name, message(err))
		}
		byName[strings.ToLower(o.name)] = t
		texts[t] = tt
		l.cat.Tables = append(l.cat.Tables, t)
	}
	for _, t := range l.cat.Tables {
		if t.Kind == schema.KindView {
			continue
		}
		tt := texts[t]
		if err := l.keys(t, tt); err != nil {
			return ddl.Errorf(t.Pos, "table %s: %s", t.Name, message(err))
		}
		if err := l.foreignKeys(t, tt, byName); err != nil {
			return ddl.Errorf(t.Pos, "table %s: %s", t.Name, message(err))
		}
		for _, c := range tt.checks {
			t.Checks = append(t.Checks, &schema.Check{Name: c.name, Expr: expr(c.expr, t.Pos)})
		}
	}
	return nil
}

// columns reads the columns of t from PRAGMA table_xinfo, which lists
// generated columns too (hidden 2 and 3).
func (l *loader) columns(t *schema.Table, tt *tableText, rowid bool) error {
	type pkCol struct {
		col   *schema.Column
		order int
	}
	var pk []pkCol
	err := l.query(`SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)`, []any{t.Name}, func(rows *sql.Rows) error {
		var name, typ string
		var notNull bool
		var dflt sql.NullString
		var pkOrder, hidden int
		if err := rows.Scan(&name, &typ, &notNull, &dflt, &pkOrder, &hidden); err != nil {
			return err
		}
		if hidden == 1 {
			return nil // a virtual table's hidden column
		}
		c := &schema.Column{Name: name, Type: schema.Type{Kind: schema.Declared, Name: typ}, NotNull: notNull, Pos: t.Pos}
		if dflt.Valid {
			c.Default = expr(dflt.String, t.Pos)
		}
		if ct := tt.columns[strings.ToLower(name)]; ct != nil {
			c.Collation = ct.collation
			if ct.generated != "" {
				c.Generated = ct.generated
				c.GeneratedExpr = expr(ct.genExpr, t.Pos)
			}
		}
		if pkOrder > 0 {
			pk = append(pk, pkCol{c, pkOrder})
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
	if err != nil {
		return err
	}
	if len(pk) == 0 || t.Kind != schema.KindTable {
		return nil
	}
	sort.Slice(pk, func(i, j int) bool { return pk[i].order < pk[j].order })
	key := &schema.Key{Name: tt.pkName}
	for _, p := range pk {
		key.Columns = append(key.Columns, p.col)
	}
	t.PrimaryKey = key
	// A rowid table's INTEGER PRIMARY KEY is the rowid: never NULL, and
	// SQLite picks it when an insert leaves it out.
	if c := key.Columns[0]; rowid && len(key.Columns) == 1 && strings.EqualFold(c.Type.Name, "INTEGER") {
		c.NotNull, c.Identity = true, "by_default"
	}
	return nil
}

// keys reads the unique constraints and unique indexes of t.
func (l *loader) keys(t *schema.Table, tt *tableText) error {
	type index struct {
		name, origin string
		partial      bool
	}
	var indexes []index
	err := l.query(`SELECT name, origin, partial FROM pragma_index_list(?) WHERE "unique" ORDER BY seq DESC`, []any{t.Name}, func(rows *sql.Rows) error {
		var ix index
		if err := rows.Scan(&ix.name, &ix.origin, &ix.partial); err != nil {
			return err
		}
		indexes = append(indexes, ix)
		return nil
	})
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if ix.origin == "pk" {
			continue
		}
		cols, names, exprs, err := l.indexColumns(t, ix.name)
		if err != nil {
			return err
		}
		name := ix.name
		if strings.HasPrefix(name, "sqlite_autoindex_") {
			name = "" // a UNIQUE constraint without a name
		}
		if !ix.partial && !exprs {
			t.Unique = append(t.Unique, &schema.Key{Name: name, Columns: cols, Index: ix.origin == "c"})
			continue
		}
		p := &schema.PartialUnique{Name: name, Columns: names}
		if ix.partial {
			p.Where = l.indexWhere(ix.name)
		}
		t.UniquePartial = append(t.UniquePartial, p)
	}
	return nil
}

// indexColumns reads the key columns of an index: the columns, their
// names (the SQL text for expressions) and whether there are expressions.
func (l *loader) indexColumns(t *schema.Table, index string) ([]*schema.Column, []string, bool, error) {
	var cols []*schema.Column
	var names []string
	exprs := false
	err := l.query(`SELECT cid, name FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno`, []any{index}, func(rows *sql.Rows) error {
		var cid int
		var name sql.NullString
		if err := rows.Scan(&cid, &name); err != nil {
			return err
		}
		if !name.Valid || cid < 0 {
			exprs = true
			names = append(names, "(expression)")
			return nil
		}
		names = append(names, name.String)
		if c := t.Column(name.String); c != nil {
			cols = append(cols, c)
		}
		return nil
	})
	return cols, names, exprs, err
}

// indexWhere returns the WHERE clause of a partial index's CREATE text.
func (l *loader) indexWhere(index string) string {
	var text string
	if err := l.conn.QueryRowContext(l.ctx, `SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`, index).Scan(&text); err != nil {
		return ""
	}
	toks := lex(text)
	for i, tk := range toks {
		if tk.kind == tokWord && strings.EqualFold(text[tk.start:tk.end], "WHERE") {
			return strings.TrimSpace(text[toks[i].end:])
		}
	}
	return ""
}

// foreignKeys reads PRAGMA foreign_key_list, which lists a key's columns
// by seq under one id; its names come from the CREATE text.
func (l *loader) foreignKeys(t *schema.Table, tt *tableText, tables map[string]*schema.Table) error {
	type ref struct {
		table, match, onUpdate, onDelete string
		from, to                         []string
		hasTo                            bool
	}
	var refs []*ref
	byID := map[int]*ref{}
	err := l.query(`SELECT id, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?) ORDER BY id DESC, seq`, []any{t.Name}, func(rows *sql.Rows) error {
		var id int
		var table, from, onUpdate, onDelete, match string
		var to sql.NullString
		if err := rows.Scan(&id, &table, &from, &to, &onUpdate, &onDelete, &match); err != nil {
			return err
		}
		r := byID[id]
		if r == nil {
			r = &ref{table: table, match: match, onUpdate: onUpdate, onDelete: onDelete, hasTo: to.Valid}
			byID[id] = r
			refs = append(refs, r)
		}
		r.from = append(r.from, from)
		r.to = append(r.to, to.String)
		return nil
	})
	if err != nil {
		return err
	}
	named := append([]foreignKeyText(nil), tt.foreignKeys...)
	for _, r := range refs {
		target := tables[strings.ToLower(r.table)]
		if target == nil || target.Kind != schema.KindTable {
			l.cat.Notes = append(l.cat.Notes, ddl.Errorf(t.Pos, "table %s: foreign key (%s) left out: it references %s, which is not a table", t.Name, strings.Join(r.from, ", "), r.table))
			continue
		}
		fk := &schema.ForeignKey{Ref: target, OnDelete: action(r.onDelete), OnUpdate: action(r.onUpdate), Match: "simple"}
		for i, name := range r.from {
			c := t.Column(name)
			var rc *schema.Column
			if r.hasTo {
				rc = target.Column(r.to[i])
			} else if target.PrimaryKey != nil && i < len(target.PrimaryKey.Columns) {
				rc = target.PrimaryKey.Columns[i] // REFERENCES t alone: its primary key
			}
			if c == nil || rc == nil {
				fk = nil
				break
			}
			fk.Columns = append(fk.Columns, c)
			fk.RefColumns = append(fk.RefColumns, rc)
		}
		if fk == nil {
			l.cat.Notes = append(l.cat.Notes, ddl.Errorf(t.Pos, "table %s: foreign key (%s) left out: %s has no such columns", t.Name, strings.Join(r.from, ", "), r.table))
			continue
		}
		for i, n := range named {
			if strings.EqualFold(n.ref, r.table) && sameNames(n.columns, r.from) {
				fk.Name = n.name
				named = append(named[:i], named[i+1:]...)
				break
			}
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	return nil
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// action spells a foreign key action as the catalog does.
func action(s string) string {
	switch strings.ToUpper(s) {
	case "CASCADE":
		return "cascade"
	case "SET NULL":
		return "set_null"
	case "SET DEFAULT":
		return "set_default"
	case "RESTRICT":
		return "restrict"
	}
	return "no_action"
}

// expr is an SQLite expression as the catalog holds it: its text, and its
// structure where PostgreSQL's grammar reads it the same way (comparisons,
// IN lists, BETWEEN, function calls), for validation rules.
func expr(text string, pos ddl.Pos) *ddl.Expr {
	text = strings.TrimSpace(text)
	if e, err := ddl.ParseExpr(pgSpelling(text), pos); err == nil {
		e.Text = text
		return e
	}
	return &ddl.Expr{Kind: ddl.ExprOther, Text: text, Pos: pos}
}

// pgSpelling rewrites what SQLite and PostgreSQL spell differently in
// simple expressions: quoted names ([x], `x`) and ==. Anything else is
// left as it is; PostgreSQL's parser then refuses what it does not read.
func pgSpelling(text string) string {
	var b strings.Builder
	for _, t := range lex(text) {
		s := text[t.start:t.end]
		switch {
		case t.kind == tokQuoted && s[0] != '"':
			b.WriteString(ddl.QuoteIdent(unquote(s)))
		case t.kind == tokPunct && s == "==":
			b.WriteString("=")
		default:
			b.WriteString(s)
		}
	}
	return b.String()
}
