package schema

import (
	"errors"
	"slices"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/dialect"
)

// Build applies the statements in order and returns the catalog they
// build. Like psql with ON_ERROR_STOP, it stops at the first statement
// PostgreSQL would reject, and says where it is.
func Build(res *ddl.Result) (*Catalog, error) {
	// A statement inside a DO block that PostgreSQL would reject is left
	// out. Rather than undo its partial effects, the build starts over
	// without it; builds take milliseconds and such statements are rare.
	// Past maxRestarts, failing statements are noted where they fail, so
	// the work stays linear in the input.
	failed := map[*ddl.Statement]error{}
	for restarts := 0; ; restarts++ {
		b := newBuilder()
		b.failed = failed
		b.inPlace = restarts >= maxRestarts
		b.cat.Notes = append(b.cat.Notes, res.Notes...)
		err := b.run(res.Statements)
		var df *doFailure
		if errors.As(err, &df) {
			failed[df.stmt] = df.err
			continue
		}
		if err != nil {
			return nil, err
		}
		b.finish()
		return b.cat, nil
	}
}

func (b *builder) run(stmts []*ddl.Statement) error {
	lastFile := ""
	for _, st := range stmts {
		if st.Pos.File != lastFile {
			// Each file runs in a fresh session, as with psql -f per file.
			lastFile = st.Pos.File
			b.searchPath = defaultSearchPath()
		}
		b.stmt = st
		if err := b.apply(st.Node); err != nil {
			return err
		}
	}
	return nil
}

// maxRestarts is how many failing statements of DO blocks make the build
// start over; one build per failure would take quadratic time.
const maxRestarts = 16

// doFailure reports a statement inside a DO block that failed.
type doFailure struct {
	stmt *ddl.Statement
	err  error
}

func (e *doFailure) Error() string { return e.err.Error() }

// builder holds the catalog under construction and the name spaces
// PostgreSQL resolves names in.
type builder struct {
	cat        *Catalog
	schemas    map[string]*namespace
	searchPath []string
	stmt       *ddl.Statement
	// failed holds the statements of DO blocks left out, with the reason.
	failed map[*ddl.Statement]error
	// inPlace notes a failing statement of a DO block and goes on, what
	// it applied before failing kept, instead of starting over.
	inPlace bool
}

// namespace is what one schema holds, by name.
type namespace struct {
	schema *Schema
	rels   map[string]*relation // tables, views, sequences, indexes, composite types
	types  map[string]*typeDef
	// constraints counts constraint names in use, for generated names.
	constraints map[string]int
	// functions holds the result shapes of functions by name, for views
	// that select from them.
	functions map[string][]*function
}

type relKind int

const (
	relTable relKind = iota
	relSequence
	relIndex
	relComposite
	relForeign
)

type relation struct {
	kind  relKind
	table *Table
	seq   *Sequence
	index *index
	comp  *CompositeType
}

type typeDef struct {
	kind   TypeKind
	enum   *EnumType
	domain *DomainType
	comp   *CompositeType
	rng    *RangeType
	base   *BaseTypeDef
	table  *Table // row type of a table or view
}

// index is an index of a table; unique ones may back a constraint.
type index struct {
	name       string
	table      *Table
	unique     bool
	columns    []*Column // nil entries for expressions
	exprs      []string
	where      string
	constraint bool // backs a PRIMARY KEY, UNIQUE or EXCLUDE constraint
}

func defaultSearchPath() []string { return []string{"$user", "public"} }

func newBuilder() *builder {
	b := &builder{cat: &Catalog{Dialect: dialect.Postgres}, schemas: map[string]*namespace{}, searchPath: defaultSearchPath()}
	b.addSchema("public")
	// The system schemas exist (objects can be created in them) but are not
	// part of the catalog crudgen reports.
	for _, name := range []string{"pg_catalog", "information_schema"} {
		b.addSchema(name)
		b.cat.Schemas = b.cat.Schemas[:len(b.cat.Schemas)-1]
	}
	return b
}

func (b *builder) addSchema(name string) *namespace {
	ns := &namespace{
		schema:      &Schema{Name: name},
		rels:        map[string]*relation{},
		types:       map[string]*typeDef{},
		constraints: map[string]int{},
		functions:   map[string][]*function{},
	}
	b.schemas[name] = ns
	b.cat.Schemas = append(b.cat.Schemas, ns.schema)
	return ns
}

// errorf returns an error at the current statement.
func (b *builder) errorf(format string, args ...any) error {
	return b.errorAt(b.stmt.Pos, format, args...)
}

// errorAt returns an error at pos, falling back to the statement.
func (b *builder) errorAt(pos ddl.Pos, format string, args ...any) error {
	if pos.Line == 0 {
		pos = b.stmt.Pos
	}
	return ddl.Errorf(pos, format, args...)
}

func (b *builder) note(format string, args ...any) {
	b.cat.Notes = append(b.cat.Notes, ddl.Errorf(b.stmt.Pos, format, args...))
}

func (b *builder) skip(kind string) {
	b.cat.Skipped = append(b.cat.Skipped, &Skipped{Pos: b.stmt.Pos, Kind: kind})
}

// pathSchemas returns the schemas of search_path that exist, in order.
func (b *builder) pathSchemas() []*namespace {
	var out []*namespace
	for _, s := range b.searchPath {
		if ns := b.schemas[s]; ns != nil {
			out = append(out, ns)
		}
	}
	return out
}

// creationSchema returns the schema a new object named q goes into.
func (b *builder) creationSchema(q ddl.QName) (*namespace, error) {
	if q.Schema != "" {
		ns := b.schemas[q.Schema]
		if ns == nil {
			return nil, b.errorf("schema %q does not exist", q.Schema)
		}
		return ns, nil
	}
	if p := b.pathSchemas(); len(p) > 0 {
		return p[0], nil
	}
	return nil, b.errorf("no schema has been selected to create in (search_path is %q)", strings.Join(b.searchPath, ", "))
}

// lookupRel finds a relation by name as PostgreSQL would.
func (b *builder) lookupRel(q ddl.QName) *relation {
	if q.Schema != "" {
		if ns := b.schemas[q.Schema]; ns != nil {
			return ns.rels[q.Name]
		}
		return nil
	}
	for _, ns := range b.pathSchemas() {
		if r := ns.rels[q.Name]; r != nil {
			return r
		}
	}
	return nil
}

func relDisplay(q ddl.QName) string {
	if q.Schema != "" {
		return q.Schema + "." + q.Name
	}
	return q.Name
}

// table finds a table or view, or returns PostgreSQL's error.
func (b *builder) table(q ddl.QName) (*Table, error) {
	r := b.lookupRel(q)
	if r == nil || r.kind != relTable {
		return nil, b.errorf("relation %q does not exist", relDisplay(q))
	}
	return r.table, nil
}

func (b *builder) ns(name string) *namespace { return b.schemas[name] }

// newRelation returns the schema a new relation named q goes into. With IF
// NOT EXISTS, an existing relation of that name is noted and skip is set.
func (b *builder) newRelation(q ddl.QName, ifNotExists bool) (ns *namespace, skip bool, err error) {
	ns, err = b.creationSchema(q)
	if err != nil {
		return nil, false, err
	}
	if ns.rels[q.Name] != nil {
		if ifNotExists {
			b.note("relation %q already exists, skipping", q.Name)
			return nil, true, nil
		}
		return nil, false, b.errorf("relation %q already exists", q.Name)
	}
	return ns, false, nil
}

func (b *builder) addTable(ns *namespace, t *Table) {
	ns.rels[t.Name] = &relation{kind: relTable, table: t}
	ns.types[t.Name] = &typeDef{kind: Composite, table: t}
	b.cat.Tables = append(b.cat.Tables, t)
}

func (b *builder) apply(n ddl.Node) error {
	switch s := n.(type) {
	case *ddl.CreateSchema:
		return b.createSchema(s)
	case *ddl.CreateTable:
		return b.createTable(s)
	case *ddl.CreateTableAs:
		return b.createTableAs(s)
	case *ddl.CreateView:
		return b.createView(s)
	case *ddl.AlterTable:
		return b.alterTable(s)
	case *ddl.Rename:
		return b.rename(s)
	case *ddl.SetSchema:
		return b.setSchema(s)
	case *ddl.Drop:
		return b.drop(s)
	case *ddl.CreateRule:
		return b.createRule(s)
	case *ddl.CreateIndex:
		return b.createIndex(s)
	case *ddl.CreateEnum:
		return b.createEnum(s)
	case *ddl.AlterEnum:
		return b.alterEnum(s)
	case *ddl.CreateDomain:
		return b.createDomain(s)
	case *ddl.AlterDomain:
		return b.alterDomain(s)
	case *ddl.CreateComposite:
		return b.createComposite(s)
	case *ddl.CreateRange:
		return b.createRange(s)
	case *ddl.CreateBaseType:
		return b.createBaseType(s)
	case *ddl.CreateExtension:
		return b.createExtension(s)
	case *ddl.CreateSequence:
		return b.createSequence(s)
	case *ddl.AlterSequence:
		return b.alterSequence(s)
	case *ddl.Comment:
		return b.comment(s)
	case *ddl.Set:
		b.set(s)
		return nil
	case *ddl.Other:
		b.skip(s.Kind)
		return nil
	case *ddl.Do:
		return b.applyDo(s)
	case *ddl.CreateFunction:
		b.createFunction(s)
		return nil
	}
	return b.errorf("unsupported statement %T", n)
}

// destructive reports whether a statement removes objects or parts of them.
func destructive(n ddl.Node) bool {
	switch s := n.(type) {
	case *ddl.Drop:
		return true
	case *ddl.AlterTable:
		for _, c := range s.Cmds {
			switch c.Kind {
			case ddl.DropColumn, ddl.DropConstraint, ddl.DropIdentity, ddl.DropExpression, ddl.DetachPartition, ddl.DropInherit:
				return true
			}
		}
	}
	return false
}

func errMsg(err error) string {
	if e, ok := err.(*ddl.Error); ok {
		return e.Msg
	}
	return err.Error()
}

func (b *builder) createSchema(s *ddl.CreateSchema) error {
	if b.schemas[s.Name] != nil {
		if s.IfNotExists {
			return nil
		}
		return b.errorf("schema %q already exists", s.Name)
	}
	b.addSchema(s.Name)
	return nil
}

func (b *builder) set(s *ddl.Set) {
	switch s.Name {
	case "search_path":
		switch {
		case s.Reset:
			b.searchPath = defaultSearchPath()
		case s.Raw && len(s.Values) == 1:
			b.searchPath = splitIdentList(s.Values[0])
		default:
			b.searchPath = slices.Clone(s.Values)
		}
	case "all":
		if s.Reset {
			b.searchPath = defaultSearchPath()
		}
	}
	b.skip("SET " + strings.ToUpper(s.Name))
}

// splitIdentList parses a search_path string: comma-separated identifiers,
// quoted ones kept as written and unquoted ones folded to lower case.
func splitIdentList(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		var name strings.Builder
		if s[i] == '"' {
			i++
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						name.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				name.WriteByte(s[i])
				i++
			}
		} else {
			j := i
			for j < len(s) && s[j] != ',' {
				j++
			}
			name.WriteString(strings.ToLower(strings.TrimSpace(s[i:j])))
			i = j
		}
		out = append(out, name.String())
		for i < len(s) && s[i] != ',' {
			i++
		}
	}
	return out
}

func (b *builder) createExtension(s *ddl.CreateExtension) error {
	for _, e := range b.cat.Extensions {
		if e.Name == s.Name {
			if s.IfNotExists {
				return nil
			}
			return b.errorf("extension %q already exists", s.Name)
		}
	}
	schema := s.Schema
	if schema == "" {
		ns, err := b.creationSchema(ddl.QName{})
		if err != nil {
			return err
		}
		schema = ns.schema.Name
	} else if b.schemas[schema] == nil {
		return b.errorf("schema %q does not exist", schema)
	}
	b.cat.Extensions = append(b.cat.Extensions, &Extension{Name: s.Name, Schema: schema})
	b.skip("CREATE EXTENSION")
	return nil
}

// finish drops internal bookkeeping that must not leak into the output.
func (b *builder) finish() {
	for _, t := range b.cat.Tables {
		if t.Unique == nil {
			t.Unique = []*Key{}
		}
	}
}
