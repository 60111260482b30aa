// Package model makes every decision about the generated code from a
// catalog: Go names, routes, which columns each request carries, keys,
// validation rules, SQL text and the OpenAPI document. Templates only print
// what it decided.
package model

import (
	"github.com/crudgen/crudgen/generator/schema"
)

// Package is everything generated into one Go package.
type Package struct {
	Name     string
	Engine   *Engine // the database engine the code is for
	Title    string  // the API's title in OpenAPI
	BasePath string  // the prefix of every route, or ""
	// Auth is how clients authenticate ("bearer"), or "" for nobody.
	Auth string
	// Extra is an OpenAPI fragment describing the user's own routes.
	Extra []byte
	// Imports are the packages of the types the configuration overrides,
	// by the name the code uses.
	Imports   map[string]string
	Resources []*Resource
	Enums     []*Enum
	// Schema creates the database, for engines whose servers create it
	// (Engine.CreatesDatabase): the catalog's Script, which the package
	// embeds. "" otherwise.
	Schema string
	// Notes tell what users may want to know: tables left out, keys that
	// could not be used.
	Notes []string
}

// Enum is a PostgreSQL enum as a named Go string type.
type Enum struct {
	Type    schema.Type
	GoName  string
	Comment string
	Values  []EnumValue
}

// EnumValue is one label and its Go constant.
type EnumValue struct {
	Value  string
	GoName string
}

// Resource is a table or view served as a REST resource.
type Resource struct {
	Engine   *Engine // the package's
	Table    *schema.Table
	GoName   string // Author: the row type
	GoPlural string // Authors
	Var      string // author: prefix of unexported package-level names
	File     string // authors.go
	Path     string // /authors: the collection route
	SQLTable string // public.authors, quoted where needed
	Comment  string
	// ReadOnly resources (views) answer only GET; so do tables the
	// configuration makes read-only: only Writable ones take writes.
	ReadOnly bool
	Writable bool
	// Fields are the columns a row shows; Inputs add the write-only ones,
	// in column order, for requests and errors.
	Fields []*Field
	Inputs []*Field
	// Key identifies a row in item routes; empty for tables without a
	// usable key, which get list and create only.
	Key       []*Field
	KeySource string // "primary key", "unique constraint name", "unique index name" or ""
	Create    *Request
	Update    *Request // PUT
	// Upsert says POST honours Prefer: resolution=merge-duplicates.
	Upsert bool
	Patch  *Request
	// RequireIfMatch says PUT, PATCH and DELETE need If-Match (428
	// without).
	RequireIfMatch bool
	// Constraints maps constraint and unique index names to the fields
	// they cover, for errors from the database.
	Constraints []Constraint
	// Children are the unqualified names of the table's partitions and
	// inheritance children, which errors may name.
	Children []string
	// Hooks are the user's methods the handler calls; nil without any.
	Hooks *Hooks
	// Relations are what include= embeds; Nested the lists of this
	// resource served under a parent's item route.
	Relations []*Relation
	Nested    []*Nested
	// Ops are the operations, in route order.
	Ops []*Op
	// Patterns are the regular expressions of validation rules, compiled
	// once into package-level variables.
	Patterns []PatternVar

	// filters are the component names of the filter parameters: every
	// list of the resource, nested ones too, refers to them. Only
	// OpenAPI, in one goroutine, uses it.
	filters []string
}

// PatternVar is a package-level compiled regular expression.
type PatternVar struct {
	Name    string
	Pattern string
}

// Field is a column of a resource.
type Field struct {
	Column   *schema.Column
	Name     string // column name
	Quoted   string // column name quoted for SQL where needed
	GoName   string
	JSON     string // JSON name
	Type     GoType
	Nullable bool
	// ReadOnly fields (ALWAYS identity, generated, configured) are never
	// written; WriteOnly ones are never returned.
	ReadOnly  bool
	WriteOnly bool
	// HasDefault fields may be left out of a create or replace.
	HasDefault bool
	// DefaultSQL is what a create or replace that leaves the field out
	// writes, for engines without DEFAULT in INSERT and UPDATE (Engine):
	// the column's default expression, or NULL. "" for the others.
	DefaultSQL string
	Rules      []Rule
	ElemRules  []Rule // rules for each element of an array
	Comment    string
	// Filter is what lists offer on the column.
	Filter Filter
	// PathVar and PathParam are the Go variable and route parameter of a
	// key field.
	PathVar   string
	PathParam string
}

// Mode says how a request carries a field.
type Mode int

const (
	// Required fields must be present and not null.
	Required Mode = iota
	// NullableField fields may be absent or null, both meaning NULL.
	NullableField
	// OptionalField fields may be absent, meaning DEFAULT (create,
	// replace) or unchanged (patch); null means NULL where allowed.
	OptionalField
)

// Request is a request body type.
type Request struct {
	Kind     string // Create, Update or Patch
	GoName   string // CreateAuthorRequest
	Method   string // POST, PUT, PATCH
	Fields   []*RequestField
	ReadOnly []*Field // rejected with read_only
	// KeyFields may appear in the body of a replace or patch but must equal
	// the key in the path.
	KeyFields []*Field
}

// RequestField is a field a request accepts.
type RequestField struct {
	*Field
	Mode Mode
	// NotNull fields reject null even when optional.
	NotNull bool
}

// Constraint is what runtime.Table says of a constraint.
type Constraint struct {
	Name    string
	Kind    string // runtime constant: ConstraintPrimaryKey...
	Fields  []string
	Message string
}

// Op is one HTTP operation of a resource.
type Op struct {
	Name        string // list, create, get, update, patch, delete
	Method      string
	Route       string // chi pattern relative to the resource: / or /{id}
	Path        string // full OpenAPI path: /authors/{id}
	OperationID string
	Summary     string
}

// Rule is one validation rule: a call of a runtime helper with the value,
// extra arguments and the location.
type Rule struct {
	Code   string
	Helper string // runtime.MaxLength
	// Value formats the checked value (%s) when the helper takes something
	// derived from it.
	Value string
	Args  []string // Go expressions after the value
	// For OpenAPI: the constraint, or Note when JSON Schema cannot say it.
	Note                 string
	MaxLength, MinLength *int
	Minimum, Maximum     *float64
	ExclusiveMin         bool
	ExclusiveMax         bool
	Pattern              string
	Enum                 []string
}
