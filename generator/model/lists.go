package model

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/runtime"
)

// Filter is what the list of a resource offers on one column: its
// operators, whether it sorts, and how values reach SQL.
type Filter struct {
	Ops     runtime.Ops
	OpsName string // the runtime constant of Ops
	Sort    bool
	// SQL is the column as filters and sorts compare it: the quoted name,
	// cast to text for types read as text.
	SQL string
	// Value is the Go expression of its runtime.Value; empty when only
	// "is" applies.
	Value string
	// Param is the OpenAPI schema of one filter value.
	Param *Schema
}

// opsNames names the runtime's operator sets for the generated code.
var opsNames = []struct {
	ops  runtime.Ops
	name string
}{
	{runtime.TextOps, "runtime.TextOps"},
	{runtime.OrderedOps, "runtime.OrderedOps"},
	{runtime.EqualityOps, "runtime.EqualityOps"},
	{runtime.ArrayOps, "runtime.ArrayOps"},
	{runtime.JSONBOps, "runtime.JSONBOps"},
	{runtime.NullOps, "runtime.NullOps"},
	{runtime.EqOnly, "runtime.EqOnly"},
	{0, "0"},
}

// filter decides the list filter of a field from its type.
func (b *builder) filter(f *Field) Filter {
	g := f.Type
	fl := Filter{SQL: f.Quoted}
	parse := g.Parse
	if g.Enum != nil {
		parse = "runtime.ParseValidEnum[" + g.Name + "]"
	}
	cast := g.Param
	if f.Column.Type.Kind == schema.Domain && f.Column.Type.ArrayDims == 0 {
		// A domain over an array or an enum: their operators are
		// polymorphic and do not match a domain, so compare the base.
		switch {
		case g.Enum != nil:
			fl.SQL = f.Quoted + strings.TrimPrefix(g.Param, "::text")
		case g.IsArray() && g.Select == "":
			fl.SQL = f.Quoted + g.Param
		}
	}
	if g.Select != "" && g.Enum == nil {
		// Read as text (unknown types, arrays of enums): compared as
		// text, in the form the API shows.
		fl.SQL = fmt.Sprintf(g.Select, f.Quoted)
		cast = ""
	}
	switch {
	case g.IsArray():
		elemParse := g.Elem.Parse
		if g.Elem.Enum != nil {
			elemParse = "runtime.ParseValidEnum[" + g.Elem.Name + "]"
		}
		if elemParse == "" {
			elemParse = queryParse[g.Elem.Read]
		}
		if elemParse == "" {
			fl.Ops = runtime.NullOps
			break
		}
		fl.Ops = runtime.ArrayOps
		fl.Value = fmt.Sprintf("runtime.ElemsOf(%s, %s)", elemParse, strconv.Quote(cast))
		fl.Param = g.Elem.JSON
	case g.isJSON():
		if f.Column.Type.Name == "jsonb" && f.Column.Type.ArrayDims == 0 {
			fl.Ops = runtime.JSONBOps
			fl.Value = "runtime.JSONValue"
			fl.Param = &Schema{Type: "string", Description: "A JSON document the value contains (@>)."}
		} else {
			fl.Ops = runtime.NullOps
		}
	default:
		if parse == "" {
			parse = queryParse[g.Read]
		}
		if parse == "" {
			fl.Ops = runtime.NullOps
			break
		}
		switch {
		case g.Kind == KindString && g.Enum == nil:
			fl.Ops = runtime.TextOps
		case g.Kind == KindBool || g.Read == "runtime.ReadBytes":
			fl.Ops = runtime.EqualityOps
		default:
			fl.Ops = runtime.OrderedOps
		}
		fl.Sort = true
		fl.Value = fmt.Sprintf("runtime.ValueOf(%s, %s, %s)", parse, g.Read, strconv.Quote(cast))
		fl.Param = g.JSON
	}
	if fl.Param != nil && len(fl.Param.OneOf) > 0 {
		// Query values are documented in their first form (numbers, not
		// NaN): validators of query strings read no other.
		fl.Param = fl.Param.OneOf[0]
	}
	if runtime.ReservedParam(f.JSON) {
		fl.Ops &= runtime.EqOnly
	}
	if strings.Contains(f.JSON, ",") || strings.HasPrefix(f.JSON, "-") {
		// sort=a,-b could not name it.
		fl.Sort = false
	}
	for _, n := range opsNames {
		if n.ops == fl.Ops {
			fl.OpsName = n.name
		}
	}
	return fl
}

// queryParse are the parsers of query values for types that cannot be
// keys, by their JSON reader.
var queryParse = map[string]string{
	"runtime.ReadFloat32":  "runtime.ParseFloat32",
	"runtime.ReadFloat64":  "runtime.ParseFloat64",
	"runtime.ReadInterval": "runtime.ParseInterval",
	"runtime.ReadBytes":    "runtime.ParseBytes",
	"runtime.ReadAddr":     "runtime.ParseAddr",
	"runtime.ReadInet":     "runtime.ParseInet",
	"runtime.ReadPrefix":   "runtime.ParsePrefix",
}

// ListColumn is the runtime.Column literal of the field.
func (f *Field) ListColumn() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Name: %s, SQL: %s, Ops: %s", strconv.Quote(f.JSON), GoString(f.Filter.SQL), f.Filter.OpsName)
	if f.Filter.Sort {
		b.WriteString(", Sort: true")
	}
	if f.Nullable {
		b.WriteString(", Nullable: true")
	}
	if f.Filter.Value != "" {
		b.WriteString(", Value: " + f.Filter.Value)
	}
	b.WriteString("}")
	return b.String()
}

// ListKey is the Go list of the key's JSON names, ending every sort.
func (r *Resource) ListKey() string {
	var names []string
	for _, k := range r.Key {
		names = append(names, strconv.Quote(k.JSON))
	}
	return "[]string{" + strings.Join(names, ", ") + "}"
}

// SortableNames lists the columns sort accepts, for documentation.
func (r *Resource) SortableNames() []string {
	var out []string
	for _, f := range r.Fields {
		if f.Filter.Sort {
			out = append(out, f.JSON)
		}
	}
	return out
}

// ConflictArgs are the quoted key columns, as Go arguments of OnConflict.
func (r *Resource) ConflictArgs() string {
	var out []string
	for _, k := range r.Key {
		out = append(out, GoString(k.Quoted))
	}
	return strings.Join(out, ", ")
}
