// Package schema applies parsed DDL statements, in order, to a catalog of
// the database they build: schemas, tables and views with their columns,
// keys, foreign keys and checks, enums, domains and other types. It knows
// PostgreSQL's semantics (search_path, name resolution, serial columns,
// inheritance, partitions, generated constraint names) so the catalog
// matches what the database would hold after running the same SQL.
package schema

import (
	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/dialect"
)

// Catalog is the database the input describes. Every list keeps
// declaration order.
type Catalog struct {
	// Dialect is the SQL the catalog was read from.
	Dialect    dialect.Dialect
	Schemas    []*Schema
	Tables     []*Table // tables, partitioned tables, views and materialized views
	Enums      []*EnumType
	Domains    []*DomainType
	Composites []*CompositeType
	Ranges     []*RangeType
	BaseTypes  []*BaseTypeDef
	Sequences  []*Sequence
	Extensions []*Extension
	// Skipped lists the statements that do not shape data.
	Skipped []*Skipped
	// Notes lists what a user may want to know: unknown types, psql
	// meta-commands, objects left out.
	Notes []*ddl.Error
	// Script creates the database the catalog describes, for engines
	// whose servers create their database file (SQLite): the CREATE
	// statements of its tables, indexes, views and triggers as the inputs
	// left them. Empty for PostgreSQL.
	Script string
}

// Schema is a PostgreSQL schema.
type Schema struct {
	Name    string
	Comment string
}

// TableKind says what kind of relation a Table is.
type TableKind string

const (
	KindTable            TableKind = "table"
	KindPartitionedTable TableKind = "partitioned_table"
	KindView             TableKind = "view"
	KindMaterializedView TableKind = "materialized_view"
)

// Table is a table, partitioned table, view or materialized view.
type Table struct {
	Schema  string
	Name    string
	Kind    TableKind
	Comment string
	Columns []*Column
	// PrimaryKey is nil when the table has none.
	PrimaryKey *Key
	// Unique holds unique constraints and unique indexes without predicate
	// or expressions, in declaration order.
	Unique []*Key
	// UniquePartial holds unique indexes with a predicate or expressions;
	// they never serve as keys.
	UniquePartial []*PartialUnique
	ForeignKeys   []*ForeignKey
	Checks        []*Check
	// Exclusions names the exclusion constraints.
	Exclusions []*Key
	// PartitionOf is the partitioned table this table is a partition of.
	PartitionOf *Table
	// Inherits lists the parents of a table created with INHERITS.
	Inherits []*Table
	// Rules are the table's rewrite rules.
	Rules []*Rule
	// Query is the defining query of a view or materialized view.
	Query *ddl.Query
	Pos   ddl.Pos

	indexes []*index // every index, for DROP INDEX and RENAME
	deps    []*Table // relations a view reads, for DROP ... CASCADE
}

// QualifiedName is schema.name with quoting where PostgreSQL needs it.
func (t *Table) QualifiedName() string {
	return ddl.QuoteIdent(t.Schema) + "." + ddl.QuoteIdent(t.Name)
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// IsView reports whether t is a view or materialized view.
func (t *Table) IsView() bool { return t.Kind == KindView || t.Kind == KindMaterializedView }

// Column is a table or view column.
type Column struct {
	Name    string
	Type    Type
	NotNull bool
	// Default is the default expression; nil when there is none.
	Default *ddl.Expr
	// Identity is "", "always" or "by_default".
	Identity string
	// Generated is "" or "stored"; GeneratedExpr is its expression.
	Generated     string
	GeneratedExpr *ddl.Expr
	Comment       string
	Collation     string
	Pos           ddl.Pos

	// inherited counts the parents this column comes from; local says the
	// table declares it itself. A column is dropped with its last parent
	// only when it is not local, as in PostgreSQL.
	inherited int
	local     bool
}

// DefaultText returns the default expression as SQL, or "".
func (c *Column) DefaultText() string {
	if c.Default == nil {
		return ""
	}
	return c.Default.Text
}

// Key is a primary key, unique constraint, unique index or exclusion
// constraint.
type Key struct {
	Name    string // constraint or index name
	Columns []*Column
	// Index says the key is a unique index rather than a constraint.
	Index            bool
	NullsNotDistinct bool

	parent *Key // the partitioned table's key this one was cloned from
}

// ColumnNames returns the names of the key's columns.
func (k *Key) ColumnNames() []string { return columnNames(k.Columns) }

// PartialUnique is a unique index with a predicate or expressions.
type PartialUnique struct {
	Name string
	// Columns holds column names, and expressions as SQL text.
	Columns []string
	Where   string
}

// ForeignKey is a FOREIGN KEY constraint.
type ForeignKey struct {
	Name       string
	Columns    []*Column
	Ref        *Table
	RefColumns []*Column
	OnDelete   string // no_action, restrict, cascade, set_null, set_default
	OnUpdate   string
	Match      string // simple, full, partial

	parent *ForeignKey // the partitioned table's key this one was cloned from
}

// Check is a CHECK constraint.
type Check struct {
	Name      string
	Expr      *ddl.Expr
	NoInherit bool
}

// EnumType is CREATE TYPE ... AS ENUM.
type EnumType struct {
	Schema  string
	Name    string
	Values  []string
	Comment string
}

// DomainType is CREATE DOMAIN.
type DomainType struct {
	Schema    string
	Name      string
	Type      Type
	NotNull   bool
	Default   *ddl.Expr
	Checks    []*Check
	Collation string
	Comment   string
}

// CompositeType is CREATE TYPE ... AS (...).
type CompositeType struct {
	Schema  string
	Name    string
	Columns []*Column
	Comment string
}

// RangeType is CREATE TYPE ... AS RANGE.
type RangeType struct {
	Schema  string
	Name    string
	Subtype Type
}

// BaseTypeDef is a type defined with input and output functions.
type BaseTypeDef struct {
	Schema string
	Name   string
}

// Sequence is a sequence, created explicitly or by serial and identity
// columns.
type Sequence struct {
	Schema string
	Name   string
	// OwnedBy is the column the sequence belongs to, if any.
	OwnedBy       *Column
	OwnedByTable  *Table
	ForIdentityOf *Column
}

// Extension is CREATE EXTENSION.
type Extension struct {
	Name   string
	Schema string
}

// Skipped is a statement that does not shape data.
type Skipped struct {
	Pos  ddl.Pos
	Kind string
}

func columnNames(cols []*Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}
