package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
)

// TypeKind tells where a type comes from.
type TypeKind int

const (
	// Builtin types live in pg_catalog.
	Builtin TypeKind = iota
	Enum
	Domain
	Composite // CREATE TYPE ... AS (...) and the row types of tables
	Range
	BaseType // CREATE TYPE name (INPUT = ...), or a shell type
	// Unknown types are not defined by the input: extension types
	// (ltree, citext...), and view columns whose type crudgen cannot infer.
	Unknown
	// Declared types are another engine's, by the name the schema gives
	// them (SQLite's declared types: VARCHAR(20), INTEGER, or none).
	Declared
)

var typeKindNames = [...]string{Builtin: "builtin", Enum: "enum", Domain: "domain", Composite: "composite", Range: "range", BaseType: "base", Unknown: "unknown", Declared: "declared"}

func (k TypeKind) String() string { return typeKindNames[k] }

// Type is a column type, resolved to the schema that defines it.
type Type struct {
	Kind   TypeKind
	Schema string // pg_catalog for built-in types; "" for a view column of unknown type
	Name   string // internal name: int4, varchar, timestamptz, mood
	// Mods are the type modifiers: varchar(255) → [255]; numeric(10,2) →
	// [10 2]; interval fields and precision as PostgreSQL encodes them.
	Mods []int64
	// ModText holds modifiers of types crudgen does not know, as written:
	// geometry(Point,4326) → ["Point" "4326"].
	ModText   []string
	ArrayDims int
}

// unknownType is the type of a view column that cannot be inferred.
var unknownType = Type{Kind: Unknown, Name: "unknown"}

// IsArray reports whether t is an array type.
func (t Type) IsArray() bool { return t.ArrayDims > 0 }

// Elem returns the element type of an array type.
func (t Type) Elem() Type {
	t.ArrayDims = 0
	return t
}

// String spells the type as PostgreSQL's format_type() does with
// search_path set to pg_catalog: built-in types by their SQL names, others
// schema-qualified, one [] for any number of array dimensions.
func (t Type) String() string {
	var s string
	switch {
	case t.Kind == Declared:
		return t.Name
	case t.Kind == Unknown && t.Schema == "":
		s = t.Name
	case t.Schema == "pg_catalog":
		s = formatBuiltin(t.Name, t.Mods)
	default:
		s = ddl.QuoteIdent(t.Schema) + "." + ddl.QuoteIdent(t.Name)
		if len(t.ModText) > 0 {
			s += "(" + strings.Join(t.ModText, ",") + ")"
		}
	}
	if t.ArrayDims > 0 {
		s += "[]"
	}
	return s
}

// builtinTypes lists the pg_catalog types a column can have, by internal
// name. Types whose SQL name differs from the internal one are in sqlNames.
var builtinTypes = map[string]bool{}

var sqlNames = map[string]string{
	"bool":        "boolean",
	"int2":        "smallint",
	"int4":        "integer",
	"int8":        "bigint",
	"float4":      "real",
	"float8":      "double precision",
	"varchar":     "character varying",
	"bpchar":      "character",
	"varbit":      "bit varying",
	"timestamp":   "timestamp without time zone",
	"timestamptz": "timestamp with time zone",
	"time":        "time without time zone",
	"timetz":      "time with time zone",
	"char":        `"char"`,
}

func init() {
	for _, name := range strings.Fields(`
		bool bytea char name int8 int2 int2vector int4 regproc text oid tid xid xid8 cid oidvector
		json xml point lseg path box polygon line cidr float4 float8 circle macaddr8 money macaddr
		inet aclitem bpchar varchar date time timestamp timestamptz interval timetz bit varbit
		numeric refcursor regprocedure regoper regoperator regclass regcollation regtype regrole
		regnamespace uuid pg_lsn tsvector gtsvector tsquery regconfig regdictionary jsonb jsonpath
		txid_snapshot pg_snapshot int4range numrange tsrange tstzrange daterange int8range
		int4multirange nummultirange tsmultirange tstzmultirange datemultirange int8multirange
		pg_node_tree pg_ndistinct pg_dependencies pg_mcv_list anyarray record`) {
		builtinTypes[name] = true
	}
}

// typeAliases are unqualified spellings that name a built-in type.
var typeAliases = map[string]string{
	"int": "int4", "integer": "int4", "smallint": "int2", "bigint": "int8",
	"real": "float4", "float": "float8", "boolean": "bool", "decimal": "numeric",
}

// Interval field masks, from PostgreSQL's datetime.h.
const (
	intervalMonth  = 1 << 1
	intervalYear   = 1 << 2
	intervalDay    = 1 << 3
	intervalHour   = 1 << 10
	intervalMinute = 1 << 11
	intervalSecond = 1 << 12

	intervalFullRange     = 0x7FFF
	intervalFullPrecision = 0xFFFF
)

var intervalFields = map[int64]string{
	intervalYear:                 " year",
	intervalMonth:                " month",
	intervalDay:                  " day",
	intervalHour:                 " hour",
	intervalMinute:               " minute",
	intervalSecond:               " second",
	intervalYear | intervalMonth: " year to month",
	intervalDay | intervalHour:   " day to hour",
	intervalDay | intervalHour | intervalMinute:                  " day to minute",
	intervalDay | intervalHour | intervalMinute | intervalSecond: " day to second",
	intervalHour | intervalMinute:                                " hour to minute",
	intervalHour | intervalMinute | intervalSecond:               " hour to second",
	intervalMinute | intervalSecond:                              " minute to second",
}

// formatBuiltin prints a pg_catalog type with its modifiers the way
// format_type does.
func formatBuiltin(name string, mods []int64) string {
	base, ok := sqlNames[name]
	if !ok {
		base = name // pg_catalog names print unquoted, keywords included
	}
	if name == "bpchar" && len(mods) == 0 {
		return "bpchar" // bpchar without length is not character(1)
	}
	if name == "bit" && len(mods) == 0 {
		return `"bit"` // nor is "bit" without length bit(1)
	}
	if len(mods) == 0 {
		return base
	}
	list := func(ms []int64) string {
		parts := make([]string, len(ms))
		for i, m := range ms {
			parts[i] = strconv.FormatInt(m, 10)
		}
		return "(" + strings.Join(parts, ",") + ")"
	}
	switch name {
	case "timestamp", "timestamptz", "time", "timetz":
		// The precision goes between the name and the time zone words.
		word := map[string]string{"timestamp": "timestamp", "timestamptz": "timestamp", "time": "time", "timetz": "time"}[name]
		return word + list(mods[:1]) + strings.TrimPrefix(base, word)
	case "interval":
		fields, precision := int64(intervalFullRange), int64(intervalFullPrecision)
		if len(mods) > 0 {
			fields = mods[0]
		}
		if len(mods) > 1 {
			precision = mods[1]
		}
		s := "interval"
		if fields != intervalFullRange {
			s += intervalFields[fields]
			if precision != intervalFullPrecision {
				return s + fmt.Sprintf("(%d)", precision)
			}
			return s
		}
		if precision != intervalFullPrecision {
			s += fmt.Sprintf("(%d)", precision)
		}
		return s
	case "numeric":
		if len(mods) == 1 {
			return "numeric(" + strconv.FormatInt(mods[0], 10) + ",0)"
		}
	}
	return base + list(mods)
}

// builtinMods converts the modifiers written after a built-in type into
// the ones PostgreSQL stores, or reports why they are invalid.
func builtinMods(name string, mods []ddl.TypeMod) ([]int64, error) {
	if len(mods) == 0 {
		return nil, nil
	}
	out := make([]int64, len(mods))
	for i, m := range mods {
		if !m.IsInt {
			return nil, fmt.Errorf("type modifier %q of type %s must be an integer", m.Text, name)
		}
		out[i] = m.Int
	}
	max := map[string]int{"varchar": 1, "bpchar": 1, "bit": 1, "varbit": 1, "numeric": 2,
		"timestamp": 1, "timestamptz": 1, "time": 1, "timetz": 1, "interval": 2}
	n, ok := max[name]
	if !ok {
		return nil, fmt.Errorf("type modifier is not allowed for type %s", formatBuiltin(name, nil))
	}
	if len(out) > n {
		return nil, fmt.Errorf("invalid type modifier for type %s", formatBuiltin(name, nil))
	}
	return out, nil
}

// extensionTypes maps well-known extension types to their extension, so a
// type a CREATE EXTENSION brings is found in the schema it was created in.
var extensionTypes = map[string]string{
	"citext": "citext", "ltree": "ltree", "lquery": "ltree", "ltxtquery": "ltree",
	"hstore": "hstore", "cube": "cube", "seg": "seg",
	"isbn": "isn", "isbn13": "isn", "ismn": "isn", "ismn13": "isn", "issn": "isn", "issn13": "isn", "ean13": "isn", "upc": "isn",
	"geometry": "postgis", "geography": "postgis", "box2d": "postgis", "box3d": "postgis",
	"vector": "vector", "halfvec": "vector", "sparsevec": "vector",
}

// serialTypes maps the serial pseudo-types to the integer type they create.
var serialTypes = map[string]string{
	"serial": "int4", "serial4": "int4", "bigserial": "int8", "serial8": "int8",
	"smallserial": "int2", "serial2": "int2",
}
