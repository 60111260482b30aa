package ddl

// The statement types below are crudgen's own syntax tree for the DDL that
// shapes data. They carry names exactly as written (after identifier
// folding), so the schema package can apply PostgreSQL's semantics without
// seeing libpg_query's types.

// Statement is one parsed SQL statement.
type Statement struct {
	Pos  Pos
	Text string // the statement as written, for messages and -v listings
	Node Node
}

// Node is one of the statement types of this package.
type Node interface{ node() }

// QName is a possibly schema-qualified object name.
type QName struct {
	Schema string // "" when unqualified
	Name   string
}

func (q QName) String() string {
	if q.Schema == "" {
		return QuoteIdent(q.Name)
	}
	return QuoteIdent(q.Schema) + "." + QuoteIdent(q.Name)
}

// TypeName is a type as written: `varchar(20)`, `public.mood[]`,
// `pg_catalog.int4`, `interval year to month`. The grammar already maps
// SQL-standard spellings to internal names (integer → pg_catalog.int4).
type TypeName struct {
	Names     []string // qualified name parts
	Mods      []TypeMod
	ArrayDims int
	PctType   bool // table.column%TYPE
	Pos       Pos
}

// TypeMod is one type modifier: a number, or a word as in geometry(Point).
type TypeMod struct {
	Int   int64
	IsInt bool
	Text  string
}

// ColumnDef is a column in CREATE TABLE, ALTER TABLE ADD COLUMN or a
// composite type.
type ColumnDef struct {
	Name        string
	Type        *TypeName // nil for partition columns and typed tables that only add constraints
	Collation   []string
	Constraints []*Constraint
	Pos         Pos
}

// ConstraintKind tells what a Constraint is.
type ConstraintKind int

const (
	ConstrNull ConstraintKind = iota + 1
	ConstrNotNull
	ConstrDefault
	ConstrIdentity
	ConstrGenerated
	ConstrCheck
	ConstrPrimaryKey
	ConstrUnique
	ConstrExclusion
	ConstrForeignKey
)

var constraintKindNames = [...]string{
	ConstrNull: "NULL", ConstrNotNull: "NOT NULL", ConstrDefault: "DEFAULT",
	ConstrIdentity: "IDENTITY", ConstrGenerated: "GENERATED", ConstrCheck: "CHECK",
	ConstrPrimaryKey: "PRIMARY KEY", ConstrUnique: "UNIQUE", ConstrExclusion: "EXCLUDE",
	ConstrForeignKey: "FOREIGN KEY",
}

func (k ConstraintKind) String() string {
	if k > 0 && int(k) < len(constraintKindNames) {
		return constraintKindNames[k]
	}
	return "constraint"
}

// Constraint is a column or table constraint. Column constraints leave
// Columns empty; the column they belong to is implied.
type Constraint struct {
	Kind    ConstraintKind
	Name    string
	Columns []string // PRIMARY KEY, UNIQUE, FOREIGN KEY columns
	Expr    *Expr    // CHECK, DEFAULT, GENERATED expression
	// Identity: "always" or "by_default"; Generated: "stored".
	When string
	// UsingIndex names the index of ADD CONSTRAINT ... USING INDEX.
	UsingIndex       string
	NullsNotDistinct bool
	NoInherit        bool
	NotValid         bool
	Deferrable       bool
	InitDeferred     bool
	// Foreign keys.
	RefTable   QName
	RefColumns []string
	OnDelete   string // no_action, restrict, cascade, set_null, set_default
	OnUpdate   string
	Match      string // simple, full, partial
	// Exclusion constraints: the WHERE of EXCLUDE ... WHERE (...).
	Where *Expr
	Pos   Pos
}

// CreateTable is CREATE TABLE, including PARTITION OF, INHERITS, OF type
// and LIKE.
type CreateTable struct {
	Name        QName
	IfNotExists bool
	Temporary   bool
	Columns     []*ColumnDef
	Constraints []*Constraint
	Likes       []*TableLike
	Inherits    []QName
	PartitionOf *QName
	Partitioned bool // PARTITION BY
	OfType      *TypeName
	Foreign     bool // CREATE FOREIGN TABLE
}

// TableLike is LIKE source [INCLUDING ...] inside CREATE TABLE.
type TableLike struct {
	Source QName
	// Including* report which INCLUDING options apply.
	IncludingDefaults, IncludingConstraints, IncludingIdentity,
	IncludingGenerated, IncludingIndexes, IncludingComments bool
	// At is the number of columns declared before the LIKE, which is where
	// the copied columns go.
	At  int
	Pos Pos
}

// CreateTableAs is CREATE TABLE ... AS and CREATE MATERIALIZED VIEW.
type CreateTableAs struct {
	Name         QName
	Columns      []string
	Query        *Query
	Materialized bool
	IfNotExists  bool
}

// CreateView is CREATE [OR REPLACE] VIEW.
type CreateView struct {
	Name      QName
	Columns   []string
	Query     *Query
	Replace   bool
	Temporary bool
}

// AlterTable is ALTER TABLE (and ALTER VIEW, ALTER INDEX, ALTER SEQUENCE,
// ALTER FOREIGN TABLE, which share the statement) with its commands.
type AlterTable struct {
	Name     QName
	Object   string // table, view, materialized_view, index, sequence, foreign_table, type
	IfExists bool
	Only     bool
	Cmds     []*AlterCmd
}

// AlterCmdKind tells what an AlterCmd does.
type AlterCmdKind int

const (
	AlterOther AlterCmdKind = iota // does not shape data (owner, storage, triggers, RLS...)
	AddColumn
	DropColumn
	AlterColumnType
	SetNotNull
	DropNotNull
	SetDefault
	DropDefault
	AddConstraint
	DropConstraint
	AddIdentity
	SetIdentity
	DropIdentity
	DropExpression
	AttachPartition
	DetachPartition
	AddInherit
	DropInherit
	AddOf
	DropOf
)

// AlterCmd is one ALTER TABLE command.
type AlterCmd struct {
	Kind       AlterCmdKind
	Column     string     // column commands
	ColumnDef  *ColumnDef // AddColumn
	Type       *TypeName  // AlterColumnType
	Expr       *Expr      // SetDefault
	Constraint *Constraint
	Name       string // DropConstraint name
	Table      QName  // partitions and inheritance parents
	IfExists   bool   // DROP COLUMN / CONSTRAINT IF EXISTS, ADD COLUMN IF NOT EXISTS
	Cascade    bool
	What       string // AlterOther: a short description
	Pos        Pos
}

// Rename is ALTER ... RENAME of a table, column, constraint, type, schema,
// enum value or any other object.
type Rename struct {
	Object   string // table, view, materialized_view, column, constraint, index, sequence, type, domain, schema, attribute, ...
	Relation QName  // the table for column and constraint renames
	Target   QName  // the object for non-relation renames (types, schemas)
	Old, New string
	IfExists bool
}

// SetSchema is ALTER ... SET SCHEMA.
type SetSchema struct {
	Object    string
	Name      QName
	NewSchema string
	IfExists  bool
}

// CreateRule is CREATE RULE: how PostgreSQL rewrites one kind of command
// on a table. Only what decides whether the command can still return rows
// is kept.
type CreateRule struct {
	Name  string
	Table QName
	// Event is "SELECT", "INSERT", "UPDATE" or "DELETE".
	Event string
	// Instead is DO INSTEAD; Conditional says the rule has a WHERE.
	Instead     bool
	Conditional bool
	// Returning says an action of the rule has a RETURNING list.
	Returning bool
	Replace   bool
}

// Drop is DROP TABLE, VIEW, TYPE, DOMAIN, SCHEMA, INDEX, SEQUENCE...
type Drop struct {
	Object   string
	Names    []QName
	IfExists bool
	Cascade  bool
	// On is the table of a DROP RULE; Names then holds the rule's name.
	On QName
}

// CreateIndex is CREATE [UNIQUE] INDEX.
type CreateIndex struct {
	Name             string
	Table            QName
	Unique           bool
	Elems            []*IndexElem
	Where            *Expr
	NullsNotDistinct bool
	IfNotExists      bool
	Only             bool // ON ONLY: not on the partitions
}

// IndexElem is one indexed column or expression.
type IndexElem struct {
	Column string
	Expr   *Expr
}

// CreateEnum is CREATE TYPE ... AS ENUM.
type CreateEnum struct {
	Name   QName
	Values []string
}

// AlterEnum is ALTER TYPE ... ADD VALUE or RENAME VALUE.
type AlterEnum struct {
	Name        QName
	Value       string // the new value
	OldValue    string // RENAME VALUE old TO new
	Neighbor    string
	After       bool
	IfNotExists bool
}

// CreateDomain is CREATE DOMAIN.
type CreateDomain struct {
	Name        QName
	Type        *TypeName
	Collation   []string
	Constraints []*Constraint
}

// AlterDomain is ALTER DOMAIN.
type AlterDomain struct {
	Name       QName
	Action     string // set_default, drop_default, set_not_null, drop_not_null, add_constraint, drop_constraint, other
	Expr       *Expr
	Constraint *Constraint
	ConstrName string
	IfExists   bool
}

// CreateComposite is CREATE TYPE ... AS (...).
type CreateComposite struct {
	Name    QName
	Columns []*ColumnDef
}

// CreateRange is CREATE TYPE ... AS RANGE.
type CreateRange struct {
	Name    QName
	Subtype *TypeName
}

// CreateBaseType is CREATE TYPE name (INPUT = ...) or a shell type.
type CreateBaseType struct{ Name QName }

// CreateSchema is CREATE SCHEMA; its embedded statements follow it as
// separate statements.
type CreateSchema struct {
	Name        string
	IfNotExists bool
}

// CreateExtension is CREATE EXTENSION.
type CreateExtension struct {
	Name        string
	Schema      string
	IfNotExists bool
}

// CreateSequence is CREATE SEQUENCE.
type CreateSequence struct {
	Name        QName
	IfNotExists bool
	OwnedBy     []string // table.column, or nil
	Type        *TypeName
}

// AlterSequence is ALTER SEQUENCE; only OWNED BY matters here.
type AlterSequence struct {
	Name     QName
	IfExists bool
	OwnedBy  []string
}

// Comment is COMMENT ON.
type Comment struct {
	Object string   // table, view, materialized_view, column, type, domain, schema, constraint, ...
	Names  []string // qualified object name; for columns the last part is the column
	On     QName    // table of a table constraint
	Text   string
	Null   bool // COMMENT ... IS NULL removes the comment
}

// Set is SET name = value, RESET name, and SELECT set_config(name, value, is_local).
type Set struct {
	Name   string
	Values []string // each value as PostgreSQL receives it
	Reset  bool
	Local  bool
	// Raw is set for set_config: Values holds one string that PostgreSQL
	// parses itself (a comma-separated list for search_path).
	Raw bool
}

// CreateFunction is CREATE FUNCTION or PROCEDURE. Functions do not shape
// data, but views may select from them, so their result shape is kept.
type CreateFunction struct {
	Name    QName
	Returns *TypeName // nil for procedures; Returns.Setof for SETOF
	SetOf   bool
	// Columns are the OUT, INOUT and TABLE parameters, which make the
	// result a row.
	Columns []*ColumnDef
	Replace bool
}

// Do is a DO block. The SQL written in its PL/pgSQL body (and EXECUTE of a
// constant string) is parsed, with the IF structure around it, since
// migrations guard DDL with conditions on the system catalogs.
type Do struct {
	Body []*DoItem
	// Dynamic counts EXECUTE statements whose SQL is built at run time.
	Dynamic int
	// Error is set when the body could not be read.
	Error string
}

// DoItem is one step of a DO block: a statement, an IF, or statements that
// may or may not run (loop bodies, CASE branches, exception handlers).
type DoItem struct {
	Statement *Statement
	If        []*DoBranch
	Maybe     []*DoItem
}

// DoBranch is one branch of an IF; Cond is nil for ELSE.
type DoBranch struct {
	Cond *Expr
	Body []*DoItem
}

// Other is a statement that does not shape data: functions, triggers,
// grants, policies, data changes, transaction control...
type Other struct {
	Kind string // e.g. "CREATE FUNCTION"
}

func (*CreateTable) node()     {}
func (*CreateTableAs) node()   {}
func (*CreateView) node()      {}
func (*AlterTable) node()      {}
func (*Rename) node()          {}
func (*SetSchema) node()       {}
func (*Drop) node()            {}
func (*CreateRule) node()      {}
func (*CreateIndex) node()     {}
func (*CreateEnum) node()      {}
func (*AlterEnum) node()       {}
func (*CreateDomain) node()    {}
func (*AlterDomain) node()     {}
func (*CreateComposite) node() {}
func (*CreateRange) node()     {}
func (*CreateBaseType) node()  {}
func (*CreateSchema) node()    {}
func (*CreateExtension) node() {}
func (*CreateSequence) node()  {}
func (*AlterSequence) node()   {}
func (*Comment) node()         {}
func (*Set) node()             {}
func (*Other) node()           {}
func (*Do) node()              {}
func (*CreateFunction) node()  {}
