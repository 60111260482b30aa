package model

import (
	"cmp"
	"fmt"
	"github.com/crudgen/crudgen/generator/usercode"
	"go/ast"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
)

// Options control the decisions.
type Options struct {
	// Package is the Go package name of the generated code.
	Package string
	// Title names the API in its OpenAPI document.
	Title string
	// BasePath prefixes every route.
	BasePath string
	// CamelCase names JSON fields in lowerCamelCase instead of as columns.
	CamelCase bool
	// Include and Exclude select tables by globs over their names
	// (schema.table outside public); ReadOnlyTables are served with GET
	// only.
	Include, Exclude, ReadOnlyTables []string
	// RequireIfMatch tables, by the same globs, take writes of a row only
	// with If-Match.
	RequireIfMatch []string
	// Routes renames collection routes, by table.
	Routes map[string]string
	// GoNames renames the Go types of tables.
	GoNames map[string]string
	// Types overrides Go types by table.column or database type.
	Types map[string]TypeOverride
	// Fields renames the JSON names of columns ("table.column").
	Fields map[string]string
	// Columns sets a column's exposure: hidden, write_only, read_only or
	// read_write.
	Columns map[string]string
	// Relations renames relations: "table.relation" (schema.table.relation
	// outside public) to the new name.
	Relations map[string]string
	// UserCode is what the user's files in the output package declare:
	// hook types the generated code calls.
	UserCode *usercode.Code
	// Templates replace built-in templates by file name; rendering uses
	// them, the model does not.
	Templates fs.FS
	// OpenAPI is a fragment (paths, components.schemas) describing the
	// user's own routes, merged into the document.
	OpenAPI []byte
	// Auth is "bearer" when the server requires tokens, which the document
	// then says; "" otherwise.
	Auth string
}

// builtinRoutes are served by every generated API; a table may not take
// them.
var builtinRoutes = []string{"/openapi.json", "/docs", "/healthz", "/readyz", "/metrics"}

// packageNames are the identifiers generated package-level code uses
// besides the resources' own, and the packages it imports.
var packageNames = []string{
	"NewRouter", "Handler", "Options", "DBTX", "openAPI", "openAPIDocument", "databaseSchema", "serveOpenAPI", "notFound",
	"context", "errors", "fmt", "http", "time", "json", "netip", "regexp", "strconv",
	"strings", "utf8", "url", "slog", "chi", "pgx", "pgconn", "pgxpool", "runtime", "docs", "embed",
	"postgres", "sqlite", // the runtime's engine adapters
	// Names of the document's shared schemas, which a table's would replace.
	"Problem", "FieldError", arrayDimension, nonFiniteNumber,
}

// localNames are the names generated functions use for their own
// variables and parameters; key variables derived from column names avoid
// them. Templates that declare another name in a function with key
// variables must add it here.
var localNames = []string{
	"ctx", "w", "r", "req", "row", "rows", "err", "h", "s", "q", "b", "d", "errs", "v", "ok", "i",
	"items", "limit", "tag", "api", "db", "router", "res", "store", "match", "old", "tx",
	"page", "exists", "sql", "args",
}

type builder struct {
	cat   *schema.Catalog
	opts  Options
	pkg   *Package
	names *namer // package-level identifiers
	files *namer // generated file names
	paths map[string]*Resource
	// direct holds each table's direct partitions and children.
	direct map[*schema.Table][]*schema.Table
	// used records the configuration's keys that matched, by option.
	used map[string]map[string]bool
	// suffixes holds, by Go name or route, the suffix to try next when it
	// is taken: names and routes are never freed, so the ones before it
	// are still taken.
	suffixes map[string]int
}

// Build decides everything about the code generated for a catalog.
func Build(cat *schema.Catalog, opts Options) (*Package, error) {
	if opts.Package == "" {
		opts.Package = "api"
	}
	if opts.Title == "" {
		opts.Title = "API"
	}
	engine, err := engineOf(cat.Dialect)
	if err != nil {
		return nil, err
	}
	b := &builder{
		cat: cat, opts: opts,
		pkg:      &Package{Name: opts.Package, Engine: engine, Title: opts.Title, BasePath: opts.BasePath, Extra: opts.OpenAPI, Auth: opts.Auth},
		names:    newNamer(packageNames...),
		files:    newNamer("router", "enums"),
		paths:    map[string]*Resource{},
		suffixes: map[string]int{},
		direct:   directChildren(cat),
	}
	for _, e := range cat.Enums {
		b.addEnum(e)
	}
	if engine.CreatesDatabase {
		b.pkg.Schema = cat.Script
	}
	b.used = map[string]map[string]bool{"columns": {}, "fields": {}, "routes": {}, "go_names": {}, "types": {}}
	for _, t := range cat.Tables {
		if t.PartitionOf != nil {
			continue // a partition's rows are served through its parent
		}
		if name := b.tableKey(t); len(opts.Include) > 0 && !matchAny(opts.Include, name) || matchAny(opts.Exclude, name) {
			continue
		}
		r, err := b.resource(t)
		if err != nil {
			return nil, err
		}
		b.pkg.Resources = append(b.pkg.Resources, r)
	}
	if err := b.relations(); err != nil {
		return nil, err
	}
	for _, option := range []struct {
		name string
		keys map[string]string
		what string
	}{
		{"routes", opts.Routes, "table"},
		{"go_names", opts.GoNames, "table"},
		{"types", typeKeys(opts.Types), "table.column or type of a served column"},
		{"fields", opts.Fields, "table.column"},
		{"columns", opts.Columns, "table.column"},
	} {
		var unknown []string
		for key := range option.keys {
			if !b.used[option.name][key] {
				unknown = append(unknown, key)
			}
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			return nil, fmt.Errorf("%s: %s names no served %s (schema.table outside public)", option.name, strings.Join(unknown, ", "), option.what)
		}
	}
	return b.pkg, nil
}

func (b *builder) note(format string, args ...any) {
	b.pkg.Notes = append(b.pkg.Notes, fmt.Sprintf(format, args...))
}

// qualifiedGoName prefixes names outside the default schema (public,
// SQLite's main) with their schema, so a
// table added to another schema later never renames existing types.
func (b *builder) qualifiedGoName(schemaName, name string) string {
	if schemaName == b.pkg.Engine.DefaultSchema {
		return exported(name)
	}
	return exported(schemaName) + exported(name)
}

func (b *builder) addEnum(e *schema.EnumType) {
	goName := b.names.unique(b.qualifiedGoName(e.Schema, e.Name))
	en := &Enum{Type: schema.Type{Kind: schema.Enum, Schema: e.Schema, Name: e.Name}, GoName: goName, Comment: e.Comment}
	consts := newNamer()
	for _, v := range e.Values {
		c := b.names.unique(consts.unique(goName + exported(v)))
		en.Values = append(en.Values, EnumValue{Value: v, GoName: c})
	}
	b.pkg.Enums = append(b.pkg.Enums, en)
}

func (b *builder) resource(t *schema.Table) (*Resource, error) {
	r := &Resource{Engine: b.pkg.Engine, Table: t, Comment: t.Comment, ReadOnly: t.IsView()}
	r.SQLTable = ddl.QuoteIdent(t.Schema) + "." + ddl.QuoteIdent(t.Name)
	b.nameResource(r)
	if err := b.route(r); err != nil {
		return nil, err
	}
	if err := b.fields(r); err != nil {
		return nil, err
	}
	if err := b.key(r); err != nil {
		return nil, err
	}
	r.Writable = !r.ReadOnly && !matchAny(b.opts.ReadOnlyTables, b.tableKey(t))
	if r.Writable {
		b.requests(r)
	}
	// An upsert needs a key for ON CONFLICT, xmax to tell inserts from
	// updates (which partitioned tables do not return), and no rules
	// (PostgreSQL refuses ON CONFLICT with them).
	// A table that takes no blind writes does no upserts either: ON
	// CONFLICT would overwrite a row without If-Match.
	r.RequireIfMatch = r.Writable && len(r.Key) > 0 && matchAny(b.opts.RequireIfMatch, b.tableKey(t))
	r.Upsert = b.pkg.Engine.Upsert && r.Create != nil && r.Update != nil && t.Kind != schema.KindPartitionedTable && len(t.Rules) == 0 && !r.RequireIfMatch
	b.constraints(r)
	r.Hooks = hooksOf(b.opts.UserCode, r)
	if r.Hooks != nil {
		for _, m := range b.opts.UserCode.Methods[r.Hooks.Type] {
			if ast.IsExported(m) && !slices.Contains(hookMethods, m) {
				b.note("%s.%s is not a hook crudgen calls (hooks: %s)", r.Hooks.Type, m, strings.Join(hookMethods, ", "))
			}
		}
	}
	r.Children = b.children(t)
	b.ops(r)
	return r, nil
}

// children names the partitions and inheritance children of t, at every
// depth, nearest first and in declaration order: PostgreSQL names them in
// errors about rows written through t.
func (b *builder) children(t *schema.Table) []string {
	var out []string
	seen := map[*schema.Table]bool{t: true}
	for queue := []*schema.Table{t}; len(queue) > 0; queue = queue[1:] {
		for _, c := range b.direct[queue[0]] {
			if !seen[c] { // multiple inheritance reaches a table twice
				seen[c] = true
				out = append(out, c.Name)
				queue = append(queue, c)
			}
		}
	}
	return out
}

// directChildren maps each table to the partitions and inheritance
// children it has directly, in declaration order.
func directChildren(cat *schema.Catalog) map[*schema.Table][]*schema.Table {
	m := map[*schema.Table][]*schema.Table{}
	for _, c := range cat.Tables {
		if c.PartitionOf != nil {
			m[c.PartitionOf] = append(m[c.PartitionOf], c)
		}
		for _, p := range c.Inherits {
			m[p] = append(m[p], c)
		}
	}
	return m
}

// nameResource picks the Go names of a resource: the singular table name
// for the row type and everything derived from it, all free in the package.
func (b *builder) nameResource(r *Resource) {
	t := r.Table
	base := b.qualifiedGoName(t.Schema, singular(t.Name))
	plural := b.qualifiedGoName(t.Schema, plural(t.Name))
	if name, ok := b.opts.GoNames[b.tableKey(t)]; ok {
		b.used["go_names"][b.tableKey(t)] = true
		base, plural = name, name+"s"
	}
	derived := func(n string) []string {
		v := unexported(n)
		return []string{n, n + "Store", n + "Handler", "New" + n + "Store", "Create" + n + "Request",
			"Update" + n + "Request", "Patch" + n + "Request", v + "Table", v + "Columns", "scan" + n}
	}
	name := base
	for i := max(b.suffixes[base], 2); !b.names.free(derived(name)...); i++ {
		name = fmt.Sprintf("%s%d", base, i)
		b.suffixes[base] = i + 1
	}
	for _, n := range derived(name) {
		b.names.unique(n)
	}
	r.GoName, r.Var = name, unexported(name)
	r.GoPlural = plural
	if plural == base {
		r.GoPlural = name // sheep, news: list and get read the same
	} else if name != base {
		r.GoPlural = name + "s"
	}
	file := fileName(t.Name)
	if t.Schema != b.pkg.Engine.DefaultSchema {
		file = fileName(t.Schema + "_" + t.Name)
	}
	r.File = b.files.unique(file) + ".go"
}

// route picks the collection path: the plural table name as a slug, under
// the schema's name outside public.
func (b *builder) route(r *Resource) error {
	t := r.Table
	name := slug(plural(t.Name))
	if name == "" {
		name = strings.ToLower(r.GoName)
	}
	prefix := ""
	if t.Schema != b.pkg.Engine.DefaultSchema {
		s := slug(t.Schema)
		if s == "" {
			s = "schema"
		}
		prefix = "/" + s
	}
	path := prefix + "/" + name
	if custom, ok := b.opts.Routes[b.tableKey(t)]; ok {
		b.used["routes"][b.tableKey(t)] = true
		if other := b.paths[custom]; other != nil {
			return fmt.Errorf("routes: %s: %s is the route of %s already", b.tableKey(t), custom, other.Table.QualifiedName())
		}
		path = custom
	}
	for _, builtin := range builtinRoutes {
		if path == builtin {
			return fmt.Errorf("table %s would be served at %s, which crudgen serves itself; rename its route in the configuration", t.QualifiedName(), path)
		}
	}
	if other := b.paths[path]; other != nil {
		alt := prefix + "/" + slug(t.Name)
		if b.paths[alt] != nil || alt == path {
			for i := max(b.suffixes[path], 2); b.paths[alt] != nil || alt == path; i++ {
				alt = fmt.Sprintf("%s-%d", path, i)
				b.suffixes[path] = i + 1
			}
		}
		b.note("table %s would share route %s with %s; it is served at %s", t.QualifiedName(), path, other.Table.QualifiedName(), alt)
		path = alt
	}
	b.paths[path] = r
	r.Path = path
	return nil
}

func (b *builder) fields(r *Resource) error {
	goNames := newNamer("AppendJSON", "MarshalJSON", "DecodeJSON", "Validate", "ScanIndex")
	jsonNames := map[string]string{}
	table := b.tableKey(r.Table)
	for _, c := range r.Table.Columns {
		key := table + "." + c.Name
		exposure, configured := b.opts.Columns[key]
		b.used["columns"][key] = configured
		if !configured && secretName.MatchString(strings.ToLower(c.Name)) && !r.ReadOnly && !keyCandidate(r.Table, c) {
			exposure = "write_only"
			b.note("column %s.%s is write-only: its name suggests a secret (columns: {%s: read_write} returns it)", r.Table.QualifiedName(), c.Name, key)
		}
		if exposure == "hidden" {
			continue
		}
		name := c.Name
		if b.opts.CamelCase {
			name = lowerCamel(c.Name)
		}
		if renamed, ok := b.opts.Fields[key]; ok {
			name = renamed
			b.used["fields"][key] = true
		}
		if other, ok := jsonNames[name]; ok {
			return fmt.Errorf("table %s: columns %s and %s would both be the field %q; rename one under fields in the configuration", r.Table.QualifiedName(), other, c.Name, name)
		}
		jsonNames[name] = c.Name
		f := &Field{
			Column: c, Name: c.Name, Quoted: ddl.QuoteIdent(c.Name), JSON: name,
			GoName: goNames.unique(exported(name)), Comment: c.Comment,
			Type: b.typeOf(c.Type),
		}
		domains := b.domainChain(c.Type)
		// A primary key holds no NULL in a row the API writes: SQLite lets
		// the primary key columns of a rowid table hold NULL (a bug it
		// keeps for compatibility), which would make rows no route can
		// reach. PostgreSQL's are NOT NULL already.
		notNull := c.NotNull || r.Table.PrimaryKey != nil && slices.Contains(r.Table.PrimaryKey.Columns, c)
		hasDefault := c.Default != nil || c.Identity == "by_default"
		for _, d := range domains {
			notNull = notNull || d.NotNull
			hasDefault = hasDefault || d.Default != nil
		}
		f.Nullable = !notNull || r.ReadOnly
		f.ReadOnly = c.Identity == "always" || c.Generated != "" || exposure == "read_only"
		f.WriteOnly = exposure == "write_only"
		f.HasDefault = hasDefault
		if !b.pkg.Engine.DefaultKeyword {
			f.DefaultSQL = cmp.Or(c.DefaultText(), "NULL")
		}
		b.rules(r, f, domains)
		if g, ok, err := b.override(r, c); err != nil {
			return err
		} else if ok {
			// The type is the user's: its values are checked by the
			// database and its own decoding, not by crudgen's rules.
			f.Type, f.Rules, f.ElemRules = g, nil, nil
		}
		f.Filter = b.filter(f)
		r.Inputs = append(r.Inputs, f)
		if !f.WriteOnly {
			r.Fields = append(r.Fields, f)
		}
	}
	// An array's shape goes in a field named after it with @dims appended.
	for _, f := range r.Inputs {
		if other, ok := jsonNames[f.DimsJSON()]; ok && f.Type.Elem != nil {
			return fmt.Errorf("table %s: column %s would be the field %q, which holds the dimensions of the array column %s; rename one under fields in the configuration",
				r.Table.QualifiedName(), other, f.DimsJSON(), f.Name)
		}
	}
	return nil
}

// secretName matches column names that suggest secrets, which are
// write-only unless the configuration says otherwise.
var secretName = regexp.MustCompile(`(^|_)(password|passwd|secret|token|api_?key|private_?key|salt)(_|$)|password|secret`)

// keyCandidate reports whether c may identify rows (a primary key column,
// or without one a column of a unique key over NOT NULL columns): such a
// column is in URLs, so a secret-like name does not hide it.
func keyCandidate(t *schema.Table, c *schema.Column) bool {
	if t.PrimaryKey != nil {
		return slices.Contains(t.PrimaryKey.Columns, c)
	}
	for _, u := range t.Unique {
		if allNotNull(u.Columns) && slices.Contains(u.Columns, c) {
			return true
		}
	}
	return false
}

// tableKey is how the configuration names a table: its name in the
// default schema (public, SQLite's main), schema.name elsewhere.
func (b *builder) tableKey(t *schema.Table) string {
	if t.Schema == b.pkg.Engine.DefaultSchema {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// lowerCamel turns created_at into createdAt.
func lowerCamel(s string) string {
	parts := strings.Split(s, "_")
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() == 0 {
			b.WriteString(p)
			continue
		}
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	if b.Len() == 0 {
		return s
	}
	return b.String()
}

// matchAny reports whether a glob of patterns matches name.
func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// key picks what identifies a row: the primary key, else a unique
// constraint or index over NOT NULL columns.
func (b *builder) key(r *Resource) error {
	t := r.Table
	if r.ReadOnly {
		return nil
	}
	var cols []*schema.Column
	switch {
	case t.PrimaryKey != nil:
		cols, r.KeySource = t.PrimaryKey.Columns, "primary key"
	default:
		for _, u := range t.Unique {
			if allNotNull(u.Columns) {
				cols = u.Columns
				r.KeySource = "unique constraint " + u.Name
				if u.Index {
					r.KeySource = "unique index " + u.Name
				}
				break
			}
		}
	}
	if cols == nil {
		return nil
	}
	var key []*Field
	for _, c := range cols {
		f := r.field(c)
		if f == nil || f.WriteOnly {
			return fmt.Errorf("table %s: key column %s is hidden or write-only in the configuration, so its rows cannot be addressed", t.QualifiedName(), c.Name)
		}
		if f.Type.Parse == "" || f.Type.Slice {
			b.note("table %s: key column %s of type %s cannot appear in a URL; the table gets list and create only", t.QualifiedName(), c.Name, c.Type)
			r.KeySource = ""
			return nil
		}
		key = append(key, f)
	}
	locals := newNamer(append(append([]string{}, localNames...), packageNames...)...)
	params := newNamer()
	for i, f := range key {
		f.PathVar = locals.unique(unexported(f.Name))
		p := f.Name
		if !identRE.MatchString(p) {
			p = fmt.Sprintf("key%d", i+1)
		}
		f.PathParam = params.unique(p)
		if f.Type.Name == "string" && !f.ReadOnly {
			// The row's URL carries the key: "", "." and ".." would make
			// a row no route can reach.
			one := 1
			f.Rules = append([]Rule{{Code: "min_length", Helper: "runtime.PathKey", MinLength: &one}}, f.Rules...)
		}
	}
	r.Key = key
	return nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func allNotNull(cols []*schema.Column) bool {
	for _, c := range cols {
		if !c.NotNull {
			return false
		}
	}
	return true
}

func (r *Resource) field(c *schema.Column) *Field {
	for _, f := range r.Inputs {
		if f.Column == c {
			return f
		}
	}
	return nil
}

func (r *Resource) isKey(f *Field) bool {
	for _, k := range r.Key {
		if k == f {
			return true
		}
	}
	return false
}

// requests decides which fields each request body carries and how.
func (b *builder) requests(r *Resource) {
	if rules := r.Table.ReturningRefused("INSERT"); rules != nil {
		b.note("table %s: no POST: its DO INSTEAD rules on INSERT (%s) make PostgreSQL refuse INSERT ... RETURNING", r.Table.QualifiedName(), strings.Join(rules, ", "))
	} else {
		b.createRequest(r)
	}
	if len(r.Key) == 0 {
		return
	}
	if rules := r.Table.ReturningRefused("UPDATE"); rules != nil {
		b.note("table %s: no PUT or PATCH: its DO INSTEAD rules on UPDATE (%s) make PostgreSQL refuse UPDATE ... RETURNING", r.Table.QualifiedName(), strings.Join(rules, ", "))
		return
	}
	b.updateRequests(r)
}

func (b *builder) createRequest(r *Resource) {
	r.Create = &Request{Kind: "Create", GoName: "Create" + r.GoName + "Request", Method: "POST"}
	for _, f := range r.Inputs {
		switch {
		case f.ReadOnly:
			r.Create.ReadOnly = append(r.Create.ReadOnly, f)
		case f.HasDefault || f.Nullable:
			// Optional, not merely nullable: an upsert updates only the
			// columns a request carries, so absent and null must differ.
			r.Create.Fields = append(r.Create.Fields, &RequestField{Field: f, Mode: OptionalField, NotNull: !f.Nullable})
		default:
			r.Create.Fields = append(r.Create.Fields, &RequestField{Field: f, Mode: Required})
		}
	}
}

func (b *builder) updateRequests(r *Resource) {
	r.Update = &Request{Kind: "Update", GoName: "Update" + r.GoName + "Request", Method: "PUT"}
	r.Patch = &Request{Kind: "Patch", GoName: "Patch" + r.GoName + "Request", Method: "PATCH"}
	for _, f := range r.Inputs {
		switch {
		case f.ReadOnly:
			r.Update.ReadOnly = append(r.Update.ReadOnly, f)
			r.Patch.ReadOnly = append(r.Patch.ReadOnly, f)
		case r.isKey(f):
			r.Update.KeyFields = append(r.Update.KeyFields, f)
			r.Patch.KeyFields = append(r.Patch.KeyFields, f)
		default:
			mode := Required
			switch {
			case f.HasDefault:
				mode = OptionalField
			case f.Nullable:
				mode = NullableField
			}
			r.Update.Fields = append(r.Update.Fields, &RequestField{Field: f, Mode: mode, NotNull: !f.Nullable})
			r.Patch.Fields = append(r.Patch.Fields, &RequestField{Field: f, Mode: OptionalField, NotNull: !f.Nullable})
		}
	}
}

// constraints lists the constraints and unique indexes of the table, so
// the runtime can point database errors at the fields they concern.
func (b *builder) constraints(r *Resource) {
	t := r.Table
	names := func(cols []*schema.Column) []string {
		var out []string
		for _, c := range cols {
			if f := r.field(c); f != nil {
				out = append(out, f.JSON)
			}
		}
		return out
	}
	if k := t.PrimaryKey; k != nil {
		r.Constraints = append(r.Constraints, Constraint{Name: b.constraintName(k.Name, "PRIMARY KEY", k.Columns), Kind: "runtime.ConstraintPrimaryKey", Fields: names(k.Columns)})
	}
	for _, k := range t.Unique {
		r.Constraints = append(r.Constraints, Constraint{Name: b.constraintName(k.Name, "UNIQUE", k.Columns), Kind: "runtime.ConstraintUnique", Fields: names(k.Columns)})
	}
	for _, k := range t.UniquePartial {
		var cols []*schema.Column
		for _, c := range k.Columns {
			if col := t.Column(c); col != nil {
				cols = append(cols, col)
			}
		}
		r.Constraints = append(r.Constraints, Constraint{Name: k.Name, Kind: "runtime.ConstraintUnique", Fields: names(cols)})
	}
	for _, k := range t.Exclusions {
		r.Constraints = append(r.Constraints, Constraint{Name: k.Name, Kind: "runtime.ConstraintExclusion", Fields: names(k.Columns)})
	}
	for _, fk := range t.ForeignKeys {
		r.Constraints = append(r.Constraints, Constraint{Name: b.constraintName(fk.Name, "FOREIGN KEY", fk.Columns), Kind: "runtime.ConstraintForeignKey", Fields: names(fk.Columns),
			Message: "must reference an existing row of " + fk.Ref.QualifiedName()})
	}
	for _, k := range t.Checks {
		var cols []*schema.Column
		for _, name := range exprColumns(k.Expr) {
			if c := t.Column(name); c != nil {
				cols = append(cols, c)
			}
		}
		name := k.Name
		if name == "" && b.pkg.Engine.UnnamedConstraints {
			name = k.Expr.Text // as SQLite names it in errors
		}
		r.Constraints = append(r.Constraints, Constraint{Name: name, Kind: "runtime.ConstraintCheck", Fields: names(cols),
			Message: "must satisfy " + k.Expr.Text})
	}
	// The CHECKs of the domains columns have, located at those columns.
	seen := map[string]int{}
	for _, f := range r.Inputs {
		for _, d := range b.domainChain(f.Column.Type) {
			for _, k := range d.Checks {
				if i, ok := seen[k.Name]; ok {
					r.Constraints[i].Fields = append(r.Constraints[i].Fields, f.JSON)
					continue
				}
				seen[k.Name] = len(r.Constraints)
				r.Constraints = append(r.Constraints, Constraint{Name: k.Name, Kind: "runtime.ConstraintCheck", Fields: []string{f.JSON},
					Message: "must satisfy " + strings.ReplaceAll(k.Expr.Text, "value", f.Name)})
			}
		}
	}
	// Constraints without a name are found by their columns.
	r.Constraints = slices.DeleteFunc(r.Constraints, func(c Constraint) bool { return c.Name == "" })
}

// constraintName is a key's name or, for engines whose constraints may
// have none (Engine.UnnamedConstraints), its definition, such as "UNIQUE
// (a, b)": errors find it by kind and columns then.
func (b *builder) constraintName(name, kind string, cols []*schema.Column) string {
	if name != "" || !b.pkg.Engine.UnnamedConstraints {
		return name
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return kind + " (" + strings.Join(names, ", ") + ")"
}

// exprColumns lists the distinct columns an expression refers to.
func exprColumns(e *ddl.Expr) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(*ddl.Expr)
	walk = func(e *ddl.Expr) {
		if e == nil {
			return
		}
		if e.Kind == ddl.ExprColumn && len(e.Names) > 0 {
			n := e.Names[len(e.Names)-1]
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		for _, a := range e.Args {
			walk(a)
		}
	}
	walk(e)
	return out
}

// ops lists the operations of a resource.
func (b *builder) ops(r *Resource) {
	item := "/"
	for i, k := range r.Key {
		if i > 0 {
			item += "/"
		}
		item += "{" + k.PathParam + "}"
	}
	add := func(name, method, route, verb, summary string, plural bool) {
		target := r.GoName
		if plural {
			target = r.GoPlural
		}
		path := r.Path
		if route != "/" {
			path += route
		}
		r.Ops = append(r.Ops, &Op{Name: name, Method: method, Route: route, Path: path,
			OperationID: apiName(verb + target), Summary: summary})
	}
	what := strings.ReplaceAll(string(r.Table.Kind), "_", " ")
	add("list", "GET", "/", "list", "List the rows of "+what+" "+r.Table.QualifiedName(), true)
	if r.Create != nil {
		add("create", "POST", "/", "create", "Create a row of "+r.Table.QualifiedName(), false)
	}
	if len(r.Key) > 0 {
		add("get", "GET", item, "get", "Get a row of "+r.Table.QualifiedName()+" by its "+r.KeySource, false)
		if r.Update != nil {
			add("update", "PUT", item, "update", "Replace a row of "+r.Table.QualifiedName(), false)
			add("patch", "PATCH", item, "patch", "Change fields of a row of "+r.Table.QualifiedName(), false)
		}
		if r.Writable {
			add("delete", "DELETE", item, "delete", "Delete a row of "+r.Table.QualifiedName(), false)
		}
	}
}

func typeKeys(m map[string]TypeOverride) map[string]string {
	out := make(map[string]string, len(m))
	for k := range m {
		out[k] = ""
	}
	return out
}
