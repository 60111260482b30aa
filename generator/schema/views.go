package schema

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
)

// View columns follow PostgreSQL: names as FigureColname gives them, types
// known for plain column references, casts and literals, unknown otherwise.

type viewCol struct {
	name string
	typ  Type
}

// fromEntry is one name a FROM clause makes visible.
type fromEntry struct {
	name   string // alias or relation name
	schema string // schema of a relation, for schema.table.column
	cols   []viewCol
	known  bool // false when the columns cannot be known (system catalogs)
}

// frame is what a FROM clause provides: named entries, and the columns a
// bare * yields.
type frame struct {
	entries []*fromEntry
	star    []viewCol
	known   bool
}

// scope holds the WITH queries visible to a query.
type scope struct {
	parent *scope
	ctes   map[string][]viewCol
}

func (s *scope) cte(name string) ([]viewCol, bool) {
	for ; s != nil; s = s.parent {
		if c, ok := s.ctes[name]; ok {
			return c, true
		}
	}
	return nil, false
}

// viewResolver resolves the columns of a view's query and records the
// relations it reads.
type viewResolver struct {
	b    *builder
	deps []*Table
}

func (b *builder) createView(s *ddl.CreateView) error {
	if s.Temporary {
		b.note("temporary view %s skipped: it does not outlive the session", s.Name)
		b.skip("CREATE TEMPORARY VIEW")
		return nil
	}
	return b.createViewLike(s.Name, s.Columns, s.Query, KindView, s.Replace, false)
}

func (b *builder) createTableAs(s *ddl.CreateTableAs) error {
	kind := KindTable
	if s.Materialized {
		kind = KindMaterializedView
	}
	return b.createViewLike(s.Name, s.Columns, s.Query, kind, false, s.IfNotExists)
}

func (b *builder) createViewLike(q ddl.QName, aliases []string, query *ddl.Query, kind TableKind, replace, ifNotExists bool) error {
	ns, err := b.creationSchema(q)
	if err != nil {
		return err
	}
	var existing *Table
	if r := ns.rels[q.Name]; r != nil {
		switch {
		case replace && r.kind == relTable && r.table.Kind == KindView:
			existing = r.table
		case ifNotExists:
			b.note("relation %q already exists, skipping", q.Name)
			return nil
		default:
			return b.errorf("relation %q already exists", q.Name)
		}
	}
	vr := &viewResolver{b: b}
	cols, err := vr.query(query, nil)
	if err != nil {
		return err
	}
	if len(aliases) > len(cols) {
		return b.errorf("CREATE VIEW specifies more column names than columns")
	}
	for i := range cols {
		if i < len(aliases) {
			cols[i].name = aliases[i]
		}
	}
	if existing != nil {
		if err := b.checkViewReplace(existing, cols); err != nil {
			return err
		}
	}
	t := existing
	if t == nil {
		t = &Table{Schema: ns.schema.Name, Name: q.Name}
	}
	t.Kind, t.Query, t.deps, t.Columns, t.Pos = kind, query, vr.deps, nil, b.stmt.Pos
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c.name] {
			return b.errorf("column %q specified more than once", c.name)
		}
		seen[c.name] = true
		t.Columns = append(t.Columns, &Column{Name: c.name, Type: c.typ, local: true})
	}
	if existing == nil {
		b.addTable(ns, t)
	}
	return nil
}

// checkViewReplace applies CREATE OR REPLACE VIEW's rule: the new query may
// add columns at the end but keeps the old ones, by name and type.
func (b *builder) checkViewReplace(v *Table, cols []viewCol) error {
	if len(cols) < len(v.Columns) {
		return b.errorf("cannot drop columns from view")
	}
	for i, old := range v.Columns {
		c := cols[i]
		if c.name != old.Name {
			return b.errorf("cannot change name of view column %q to %q", old.Name, c.name)
		}
		if c.typ.Kind != Unknown && old.Type.Kind != Unknown && c.typ.String() != old.Type.String() {
			return b.errorf("cannot change data type of view column %q from %s to %s", old.Name, old.Type, c.typ)
		}
	}
	return nil
}

// query resolves the output columns of a query.
func (vr *viewResolver) query(q *ddl.Query, outer *scope) ([]viewCol, error) {
	sc := outer
	if len(q.With) > 0 {
		sc = &scope{parent: outer, ctes: map[string][]viewCol{}}
		for _, cte := range q.With {
			sc.ctes[cte.Name] = nil // visible to itself (WITH RECURSIVE)
			cols, err := vr.query(cte.Query, sc)
			if err != nil {
				return nil, err
			}
			sc.ctes[cte.Name] = renameCols(cols, cte.Columns)
		}
	}
	switch {
	case q.SetOp != "":
		left, err := vr.query(q.Left, sc)
		if err != nil {
			return nil, err
		}
		right, err := vr.query(q.Right, sc)
		if err != nil {
			return nil, err
		}
		for i := range left {
			if i >= len(right) || right[i].typ.String() != left[i].typ.String() {
				left[i].typ = unknownType
			}
		}
		return left, nil
	case len(q.Values) > 0:
		var cols []viewCol
		for i, e := range q.Values[0] {
			cols = append(cols, viewCol{name: "column" + strconv.Itoa(i+1), typ: vr.exprType(e, nil)})
		}
		return cols, nil
	}
	f := &frame{known: true}
	for _, item := range q.From {
		g, err := vr.fromItem(item, sc)
		if err != nil {
			return nil, err
		}
		f.entries = append(f.entries, g.entries...)
		f.star = append(f.star, g.star...)
		f.known = f.known && g.known
	}
	var cols []viewCol
	for _, t := range q.Targets {
		switch {
		case t.Star && len(t.StarOf) == 0:
			if !f.known {
				return nil, vr.b.errorf("cannot list the columns of * over a relation crudgen does not know; name the columns")
			}
			cols = append(cols, f.star...)
		case t.Star:
			e := f.entry(t.StarOf)
			if e == nil {
				return nil, vr.b.errorf("missing FROM-clause entry for table %q", strings.Join(t.StarOf, "."))
			}
			if !e.known {
				return nil, vr.b.errorf("cannot list the columns of %s.* over a relation crudgen does not know; name the columns", e.name)
			}
			cols = append(cols, e.cols...)
		default:
			cols = append(cols, viewCol{name: t.Name, typ: vr.exprType(t.Expr, f)})
		}
	}
	return cols, nil
}

func renameCols(cols []viewCol, names []string) []viewCol {
	out := make([]viewCol, len(cols))
	copy(out, cols)
	for i := range out {
		if i < len(names) {
			out[i].name = names[i]
		}
	}
	return out
}

func (f *frame) entry(qual []string) *fromEntry {
	name := qual[len(qual)-1]
	schema := ""
	if len(qual) > 1 {
		schema = qual[len(qual)-2]
	}
	for _, e := range f.entries {
		if e.name == name && (schema == "" || e.schema == schema) {
			return e
		}
	}
	return nil
}

// systemSchemas hold catalogs crudgen does not model.
var systemSchemas = map[string]bool{"pg_catalog": true, "information_schema": true}

func (vr *viewResolver) fromItem(item *ddl.FromItem, sc *scope) (*frame, error) {
	single := func(e *fromEntry) *frame {
		return &frame{entries: []*fromEntry{e}, star: e.cols, known: e.known}
	}
	switch {
	case item.Rel != nil:
		q := *item.Rel
		e := &fromEntry{name: q.Name, known: true}
		if item.Alias != "" {
			e.name = item.Alias
		}
		if cols, ok := sc.cte(q.Name); ok && q.Schema == "" {
			e.cols = cols
			e.known = cols != nil
		} else if r := vr.b.lookupRel(q); r != nil && r.kind == relTable {
			t := r.table
			e.schema = t.Schema
			vr.deps = append(vr.deps, t)
			for _, c := range t.Columns {
				e.cols = append(e.cols, viewCol{name: c.Name, typ: c.Type})
			}
		} else if systemSchemas[q.Schema] || q.Schema == "" && strings.HasPrefix(q.Name, "pg_") || r != nil {
			e.known = false
		} else if ext := vr.b.extensionIn(q.Schema); ext != "" {
			// Extensions create relations crudgen cannot see.
			vr.b.note("relation %s is not defined in the input; assuming extension %s created it", relDisplay(q), ext)
			e.known = false
		} else {
			return nil, vr.b.errorf("relation %q does not exist", relDisplay(q))
		}
		e.cols = renameCols(e.cols, item.ColumnAliases)
		return single(e), nil
	case item.Sub != nil:
		cols, err := vr.query(item.Sub, sc)
		if err != nil {
			return nil, err
		}
		return single(&fromEntry{name: item.Alias, cols: renameCols(cols, item.ColumnAliases), known: true}), nil
	case item.Join != nil:
		return vr.join(item, sc)
	}
	// A function in FROM: its column definition list, the columns of what
	// it returns, or one column.
	e := &fromEntry{name: item.Alias, known: true}
	var result []viewCol
	if item.Func != nil && item.Func.Kind == ddl.ExprFunc && len(item.Func.Names) > 0 {
		if e.name == "" {
			e.name = item.Func.Names[len(item.Func.Names)-1]
		}
		result = vr.b.functionResult(qnameOf(item.Func.Names), e.name)
	}
	switch {
	case len(item.FuncColumns) > 0 || item.FuncColumnsOnly:
		for _, cd := range item.FuncColumns {
			typ := unknownType
			if cd.Type != nil {
				if t, err := vr.b.resolveType(cd.Type); err == nil {
					typ = t
				}
			}
			e.cols = append(e.cols, viewCol{name: cd.Name, typ: typ})
		}
	case result != nil:
		e.cols = renameCols(result, item.ColumnAliases)
	case len(item.ColumnAliases) > 0:
		for _, n := range item.ColumnAliases {
			e.cols = append(e.cols, viewCol{name: n, typ: unknownType})
		}
	default:
		e.cols = []viewCol{{name: e.name, typ: unknownType}}
	}
	if item.Ordinality {
		e.cols = append(e.cols, viewCol{name: "ordinality", typ: builtinType("int8")})
	}
	return single(e), nil
}

func (vr *viewResolver) join(item *ddl.FromItem, sc *scope) (*frame, error) {
	j := item.Join
	l, err := vr.fromItem(j.Left, sc)
	if err != nil {
		return nil, err
	}
	r, err := vr.fromItem(j.Right, sc)
	if err != nil {
		return nil, err
	}
	f := &frame{entries: append(l.entries, r.entries...), known: l.known && r.known}
	using := j.Using
	if j.Natural {
		using = nil
		for _, lc := range l.star {
			for _, rc := range r.star {
				if lc.name == rc.name {
					using = append(using, lc.name)
				}
			}
		}
	}
	if len(using) == 0 {
		f.star = append(append([]viewCol{}, l.star...), r.star...)
	} else {
		isUsing := map[string]bool{}
		for _, u := range using {
			isUsing[u] = true
			typ := unknownType
			if c, ok := findCol(l.star, u); ok {
				typ = c.typ
			}
			f.star = append(f.star, viewCol{name: u, typ: typ})
		}
		for _, c := range l.star {
			if !isUsing[c.name] {
				f.star = append(f.star, c)
			}
		}
		for _, c := range r.star {
			if !isUsing[c.name] {
				f.star = append(f.star, c)
			}
		}
	}
	if item.Alias != "" {
		e := &fromEntry{name: item.Alias, cols: renameCols(f.star, item.ColumnAliases), known: f.known}
		return &frame{entries: []*fromEntry{e}, star: e.cols, known: f.known}, nil
	}
	return f, nil
}

func findCol(cols []viewCol, name string) (viewCol, bool) {
	for _, c := range cols {
		if c.name == name {
			return c, true
		}
	}
	return viewCol{}, false
}

// exprType infers the type of a view output column.
func (vr *viewResolver) exprType(e *ddl.Expr, f *frame) Type {
	if e == nil {
		return unknownType
	}
	switch e.Kind {
	case ddl.ExprColumn:
		if f == nil || len(e.Names) == 0 {
			return unknownType
		}
		name := e.Names[len(e.Names)-1]
		if len(e.Names) == 1 {
			for _, en := range f.entries {
				if c, ok := findCol(en.cols, name); ok {
					return c.typ
				}
			}
			if c, ok := findCol(f.star, name); ok {
				return c.typ
			}
			return unknownType
		}
		if en := f.entry(e.Names[:len(e.Names)-1]); en != nil {
			if c, ok := findCol(en.cols, name); ok {
				return c.typ
			}
		}
	case ddl.ExprCast:
		if e.Type != nil {
			if t, err := vr.b.resolveType(e.Type); err == nil {
				return t
			}
		}
	case ddl.ExprCollate:
		return vr.exprType(e.Args[0], f)
	case ddl.ExprConst:
		return constType(e)
	case ddl.ExprSQLValue:
		if t, ok := sqlValueTypes[e.Names[0]]; ok {
			return builtinType(t)
		}
	}
	return unknownType
}

func builtinType(name string) Type { return Type{Kind: Builtin, Schema: "pg_catalog", Name: name} }

// constType is the type PostgreSQL gives a literal in a view's output.
func constType(e *ddl.Expr) Type {
	switch e.Const {
	case ddl.ConstInt:
		n, ok := new(big.Int).SetString(e.Value, 10)
		switch {
		case !ok:
			return builtinType("numeric")
		case n.IsInt64() && n.Int64() >= -1<<31 && n.Int64() < 1<<31:
			return builtinType("int4")
		case n.IsInt64():
			return builtinType("int8")
		}
		return builtinType("numeric")
	case ddl.ConstFloat:
		return builtinType("numeric")
	case ddl.ConstString, ddl.ConstNull:
		return builtinType("text") // unknown literals in views become text
	case ddl.ConstBool:
		return builtinType("bool")
	case ddl.ConstBits:
		return builtinType("bit")
	}
	return unknownType
}

// sqlValueTypes are the types of CURRENT_DATE and its kin.
var sqlValueTypes = map[string]string{
	"current_date": "date", "current_time": "timetz", "current_timestamp": "timestamptz",
	"localtime": "time", "localtimestamp": "timestamp", "current_role": "name", "current_user": "name",
	"user": "name", "session_user": "name", "current_catalog": "name", "current_schema": "name",
}
