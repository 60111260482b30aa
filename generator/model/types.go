package model

import (
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/runtime"
)

// This file is crudgen's one type map: how each PostgreSQL type appears in
// Go, in JSON and OpenAPI, and in SQL.

// GoType is how a column type appears in generated code.
type GoType struct {
	// Name is the Go type of a NOT NULL value: int64, runtime.Decimal,
	// []string, PostStatus.
	Name string
	// Read is the runtime decoder function for it, of type
	// func(*runtime.Decoder, *T) bool.
	Read string
	// Append is the JSON appender, of type func([]byte, T) []byte.
	Append string
	// Parse parses a path parameter, of type func(string) (T, error); empty
	// when values of the type cannot appear in a URL path. Key prints a
	// value for a URL; empty means runtime.KeyString.
	Parse string
	Key   string
	// Select is the SQL that reads a column of this type, with %s for the
	// column: most types need none, others are read as text or, arrays of
	// domains, as arrays of the base type.
	Select string
	// Param is the cast after a $n parameter that tells PostgreSQL what the
	// value is: domains pass their base type, enums and types crudgen reads
	// as text pass text cast to the column's type.
	Param string
	// Slice says nil stands for NULL, so nullable columns need no pointer.
	Slice bool
	// Dims is the number of dimensions an array column declares: its
	// values of that many dimensions are nested JSON arrays.
	Dims int
	Kind Kind
	// JSON is the OpenAPI schema of a value.
	JSON *Schema
	// Enum is set for enum types; Elem for arrays.
	Enum *Enum
	Elem *GoType
}

// Kind groups types by the validation rules that apply to them.
type Kind int

const (
	KindOther Kind = iota
	KindString
	KindInt
	KindFloat
	KindDecimal
	KindBool
)

// builtin maps pg_catalog types crudgen reads natively.
var builtin = map[string]GoType{
	"int2":        {Name: "int16", Read: "runtime.ReadInt16", Append: "runtime.AppendInt16", Parse: "runtime.ParseInt16", Kind: KindInt, JSON: &Schema{Type: "integer", Format: "int32", Minimum: ptr(-32768.0), Maximum: ptr(32767.0)}},
	"int4":        {Name: "int32", Read: "runtime.ReadInt32", Append: "runtime.AppendInt32", Parse: "runtime.ParseInt32", Kind: KindInt, JSON: &Schema{Type: "integer", Format: "int32"}},
	"int8":        {Name: "int64", Read: "runtime.ReadInt64", Append: "runtime.AppendInt64", Parse: "runtime.ParseInt64", Kind: KindInt, JSON: &Schema{Type: "integer", Format: "int64"}},
	"float4":      {Name: "float32", Read: "runtime.ReadFloat32", Append: "runtime.AppendFloat32", Kind: KindFloat, JSON: floatSchema("float")},
	"float8":      {Name: "float64", Read: "runtime.ReadFloat64", Append: "runtime.AppendFloat64", Kind: KindFloat, JSON: floatSchema("double")},
	"numeric":     {Name: "runtime.Decimal", Read: "runtime.ReadDecimal", Append: "runtime.AppendDecimal", Parse: "runtime.ParseDecimal", Kind: KindDecimal, JSON: &Schema{Type: "string", Format: "decimal", Pattern: `^-?[0-9]+(\.[0-9]+)?$|^NaN$|^-?Infinity$`}},
	"text":        {Name: "string", Read: "runtime.ReadString", Append: "runtime.AppendString", Parse: "runtime.ParseString", Kind: KindString, JSON: &Schema{Type: "string"}},
	"varchar":     {Name: "string", Read: "runtime.ReadString", Append: "runtime.AppendString", Parse: "runtime.ParseString", Kind: KindString, JSON: &Schema{Type: "string"}},
	"bpchar":      {Name: "string", Read: "runtime.ReadString", Append: "runtime.AppendString", Parse: "runtime.ParseString", Kind: KindString, JSON: &Schema{Type: "string"}},
	"name":        {Name: "string", Read: "runtime.ReadString", Append: "runtime.AppendString", Parse: "runtime.ParseString", Kind: KindString, JSON: &Schema{Type: "string", MaxLength: ptr(63)}},
	"bool":        {Name: "bool", Read: "runtime.ReadBool", Append: "runtime.AppendBool", Parse: "runtime.ParseBool", Kind: KindBool, JSON: &Schema{Type: "boolean"}},
	"uuid":        {Name: "runtime.UUID", Read: "runtime.ReadUUID", Append: "runtime.AppendUUID", Parse: "runtime.ParseUUID", JSON: &Schema{Type: "string", Format: "uuid"}},
	"timestamptz": {Name: "time.Time", Read: "runtime.ReadTime", Append: "runtime.AppendTime", Parse: "runtime.ParseTime", JSON: &Schema{Type: "string", Pattern: runtime.TimestamptzPattern}},
	"timestamp":   {Name: "time.Time", Read: "runtime.ReadTimestamp", Append: "runtime.AppendTimestamp", Parse: "runtime.ParseTimestamp", Key: "runtime.TimestampKey", JSON: &Schema{Type: "string", Format: "timestamp", Pattern: runtime.TimestampPattern}},
	"date":        {Name: "runtime.Date", Read: "runtime.ReadDate", Append: "runtime.AppendDate", Parse: "runtime.ParseDate", JSON: &Schema{Type: "string", Pattern: runtime.DatePattern}},
	"time":        {Name: "runtime.TimeOfDay", Read: "runtime.ReadTimeOfDay", Append: "runtime.AppendTimeOfDay", Parse: "runtime.ParseTimeOfDay", JSON: &Schema{Type: "string", Format: "time", Pattern: `^\d{2}:\d{2}:\d{2}(\.\d{1,6})?$`}},
	"interval":    {Name: "runtime.Interval", Read: "runtime.ReadInterval", Append: "runtime.AppendInterval", JSON: &Schema{Type: "string", Format: "duration"}},
	"bytea":       {Name: "[]byte", Read: "runtime.ReadBytes", Append: "runtime.AppendBytes", Slice: true, JSON: &Schema{Type: "string", Format: "byte"}},
	"json":        {Name: "json.RawMessage", Read: "runtime.ReadJSONText", Append: "runtime.AppendRawJSON", Slice: true, JSON: &Schema{}},
	"jsonb":       {Name: "json.RawMessage", Read: "runtime.ReadRawJSON", Append: "runtime.AppendRawJSON", Slice: true, JSON: &Schema{}},
	"inet":        {Name: "netip.Prefix", Read: "runtime.ReadInet", Append: "runtime.AppendInet", JSON: &Schema{Type: "string", Format: "inet"}},
	"cidr":        {Name: "netip.Prefix", Read: "runtime.ReadPrefix", Append: "runtime.AppendPrefix", JSON: &Schema{Type: "string", Format: "cidr"}},
}

// inetAddr is netip.Addr, which a configuration may choose for inet
// columns whose values have no netmask.
var inetAddr = GoType{Name: "netip.Addr", Read: "runtime.ReadAddr", Append: "runtime.AppendAddr", JSON: &Schema{Type: "string", Format: "ip"}}

// textType is the fallback: the value travels as text, read with a cast to
// text and written with a cast from text to the column's type.
var textType = GoType{Name: "string", Read: "runtime.ReadString", Append: "runtime.AppendString", Parse: "runtime.ParseString", Kind: KindString, JSON: &Schema{Type: "string"}}

func ptr[T any](v T) *T { return &v }

// floatSchema is a real or double precision value: a number, or the
// string of NaN or an infinity, which JSON numbers cannot write.
func floatSchema(format string) *Schema {
	return &Schema{OneOf: []*Schema{{Type: "number", Format: format}, ref(nonFiniteNumber)}}
}

// typeOf maps a column type. domain returns the domain a type is, if any,
// so its constraints become validation rules.
func (b *builder) typeOf(t schema.Type) GoType {
	if t.Kind == schema.Declared {
		t = b.pkg.Engine.declared(t)
	}
	if t.IsArray() {
		elem := b.typeOf(t.Elem())
		if elem.Slice || elem.Elem != nil {
			// bytea[] and json[] travel as text: a JSON null element
			// could not be told from a NULL one.
			return b.asText(t)
		}
		// Its schema is made of the element's (Field.arraySchema).
		g := GoType{
			Name: "runtime.Array[" + elem.Name + "]",
			Read: "runtime.ReadArray(" + elem.Read + ")",
			Dims: t.ArrayDims,
			Elem: &elem,
		}
		switch {
		case elem.Select != "":
			// Elements read as text (enums, unknown types): so is the array.
			g.Select = "%s::text[]"
			g.Param = "::text[]::" + castType(t)
		case elem.Param != "":
			// Domain elements: the base type's array, cast by PostgreSQL
			// both ways, since pgx does not know the array of a domain.
			g.Select = "%s" + elem.Param + "[]"
			g.Param = elem.Param + "[]"
		}
		return g
	}
	switch t.Kind {
	case schema.Builtin:
		if g, ok := builtin[t.Name]; ok {
			return g
		}
		return b.asText(t)
	case schema.Enum:
		e := b.enum(t)
		if e == nil {
			return b.asText(t)
		}
		return GoType{
			Name: e.GoName, Read: "runtime.ReadEnum[" + e.GoName + "]", Append: "runtime.AppendEnum[" + e.GoName + "]",
			Parse: "runtime.ParseEnum[" + e.GoName + "]", Kind: KindString,
			Select: "%s::text", Param: "::text::" + castType(t),
			Enum: e, JSON: ref(apiName(e.GoName)),
		}
	case schema.Domain:
		d := b.domain(t)
		if d == nil {
			return b.asText(t)
		}
		base := b.typeOf(d.Type)
		if base.Select == "" && base.Param == "" {
			// The domain's base type, named in the parameter so that pgx
			// encodes a type it knows; PostgreSQL casts it to the domain.
			base.Param = "::" + castType(d.Type)
		}
		return base
	}
	return b.asText(t)
}

// isJSON reports whether the type holds json or jsonb documents, whose
// values include null.
func (g GoType) isJSON() bool {
	return g.Read == "runtime.ReadRawJSON" || g.Read == "runtime.ReadJSONText"
}

// IsArray reports whether the type is a Go slice of elements.
func (g GoType) IsArray() bool { return g.Elem != nil }

func (b *builder) asText(t schema.Type) GoType {
	g := textType
	g.Select = "%s::text"
	if t.Kind == schema.Unknown && t.Schema == "" {
		g.Param = "::text" // view columns of unknown type are never written
	} else {
		g.Param = "::text::" + castType(t)
	}
	return g
}

// castType spells t for the cast after a parameter, without its modifiers:
// an explicit cast to varchar(n), char(n) or bit(n) silently truncates or
// pads, while the assignment to the column (or the domain) that follows
// applies them with an error.
func castType(t schema.Type) string {
	t.Mods, t.ModText = nil, nil
	return t.String()
}

// enum finds the catalog enum of a type.
func (b *builder) enum(t schema.Type) *Enum {
	for _, e := range b.pkg.Enums {
		if e.Type.Schema == t.Schema && e.Type.Name == t.Name {
			return e
		}
	}
	return nil
}

// domain finds the catalog domain of a type.
func (b *builder) domain(t schema.Type) *schema.DomainType {
	for _, d := range b.cat.Domains {
		if d.Schema == t.Schema && d.Name == t.Name {
			return d
		}
	}
	return nil
}

// baseType is t without its domains, or those of its elements: the type
// whose length limit applies.
func (b *builder) baseType(t schema.Type) schema.Type {
	if t.Kind == schema.Declared {
		return b.pkg.Engine.declared(t)
	}
	dims := t.ArrayDims
	t = t.Elem()
	for _, d := range b.domainChain(t) {
		t = d.Type
	}
	t.ArrayDims += dims
	return t
}

// domainChain lists the domains a type goes through down to its base type,
// outermost first, for their NOT NULL and CHECK constraints.
func (b *builder) domainChain(t schema.Type) []*schema.DomainType {
	var out []*schema.DomainType
	for t.Kind == schema.Domain && t.ArrayDims == 0 {
		d := b.domain(t)
		if d == nil || len(out) > 16 {
			break
		}
		out = append(out, d)
		t = d.Type
	}
	return out
}
