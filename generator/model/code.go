package model

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/runtime"
)

// The methods below print the small pieces of Go the templates place:
// declarations, calls and SQL. They follow from decisions made in Build.

// DeclType is the Go type of the field in the row struct: a pointer for
// nullable columns, except slices, whose nil is NULL.
func (f *Field) DeclType() string {
	if f.Nullable && !f.Type.Slice {
		return "*" + f.Type.Name
	}
	return f.Type.Name
}

// Tag is the struct tag of the field, empty when the column name cannot
// appear in one.
func (f *Field) Tag() string {
	for _, r := range f.Name {
		if r == '"' || r == '\\' || r == '`' || r == ',' || r < ' ' {
			return ""
		}
	}
	return fmt.Sprintf("`json:%q db:%q`", f.JSON, f.Name)
}

// AppendCall appends the field of the row named recv as JSON to b.
func (f *Field) AppendCall(recv string) string {
	return f.Type.appendExpr(recv+"."+f.GoName, f.Nullable)
}

func (g GoType) appendExpr(v string, nullable bool) string {
	switch {
	case g.Elem != nil && nullable:
		return fmt.Sprintf("runtime.AppendNullArray(b, %s, %d, %s)", v, g.Dims, g.Elem.Append)
	case g.Elem != nil:
		return fmt.Sprintf("runtime.AppendArray(b, %s, %d, %s)", v, g.Dims, g.Elem.Append)
	case g.Slice && nullable:
		return fmt.Sprintf("runtime.AppendNullSlice(b, %s, %s)", v, g.Append)
	case nullable:
		return fmt.Sprintf("runtime.AppendNullable(b, %s, %s)", v, g.Append)
	}
	return fmt.Sprintf("%s(b, %s)", g.Append, v)
}

// DimsAppendCall appends the dimensions field of an array field of the
// row named recv, when its value needs one; empty for other fields.
func (f *Field) DimsAppendCall(recv string) string {
	if f.Type.Elem == nil {
		return ""
	}
	v := "&" + recv + "." + f.GoName
	if f.Nullable {
		v = recv + "." + f.GoName
	}
	key := strconv.Quote("," + string(runtime.AppendString(nil, f.DimsJSON())) + ":")
	return fmt.Sprintf("runtime.AppendArrayDims(b, %s, %s, %d)", key, v, f.Type.Dims)
}

// KeyLiteral is the Go string literal that opens the field in the row's
// JSON object: {"id": for the first field, ,"email": for the others.
func (r *Resource) KeyLiteral(i int) string {
	sep := ","
	if i == 0 {
		sep = "{"
	}
	key := runtime.AppendString(nil, r.Fields[i].JSON)
	return strconv.Quote(sep + string(key) + ":")
}

// DeclType is the Go type of a request field.
func (f *RequestField) DeclType() string {
	switch f.Mode {
	case NullableField:
		if f.Type.Slice {
			return f.Type.Name
		}
		return "*" + f.Type.Name
	case OptionalField:
		return "runtime.Optional[" + f.Type.Name + "]"
	}
	return f.Type.Name
}

// KeyDeclType is the Go type of a key field in a replace or patch body.
func (f *Field) KeyDeclType() string { return "runtime.Optional[" + f.Type.Name + "]" }

// DecodeCall reads the field into the request named recv.
func (f *RequestField) DecodeCall(recv string) string {
	dst := "&" + recv + "." + f.GoName
	switch {
	case f.Mode == Required:
		return fmt.Sprintf("%s(d, %s)", f.Type.Read, dst)
	case f.Mode == NullableField && f.Type.Slice:
		return fmt.Sprintf("runtime.NullOr(d, %s, %s)", dst, f.Type.Read)
	case f.Mode == NullableField:
		return fmt.Sprintf("runtime.Nullable(d, %s, %s)", dst, f.Type.Read)
	case f.NotNull && f.Type.isJSON():
		// null is a JSON value, which a NOT NULL json column can hold.
		return fmt.Sprintf("runtime.ReadValue(d, %s, %s)", dst, f.Type.Read)
	case f.NotNull:
		return fmt.Sprintf("runtime.ReadPresent(d, %s, %s)", dst, f.Type.Read)
	}
	return fmt.Sprintf("runtime.ReadOptional(d, %s, %s)", dst, f.Type.Read)
}

// DimsVar is the variable DecodeJSON reads the dimensions field of an
// array field into.
func (f *RequestField) DimsVar() string { return "dims" + f.GoName }

// SetDimsCall applies the dimensions field of an array field to the
// request named recv, once its object is read.
func (f *RequestField) SetDimsCall(recv string) string {
	v := recv + "." + f.GoName
	switch f.Mode {
	case Required:
		v = "&" + v
	case OptionalField:
		v += ".Ref()"
	}
	return fmt.Sprintf("runtime.SetArrayDims(d, %s, %s, %s)", v, f.DimsVar(), strconv.Quote(f.DimsJSON()))
}

// KeyDecodeCall reads a key field of a replace or patch body.
func (f *Field) KeyDecodeCall(recv string) string {
	return fmt.Sprintf("runtime.ReadPresent(d, &%s.%s, %s)", recv, f.GoName, f.Type.Read)
}

// Loc is the Go argument list locating the field in a request body.
func (f *Field) Loc() string { return `"body", ` + strconv.Quote(f.JSON) }

// Validation returns the Go statements that check the field of the
// request named recv, or nothing when no rule applies.
func (f *RequestField) Validation(recv string) []string {
	if len(f.Rules) == 0 && len(f.ElemRules) == 0 {
		return nil
	}
	v := recv + "." + f.GoName
	var out []string
	body := func(value string) []string {
		var lines []string
		for _, r := range f.Rules {
			lines = append(lines, r.Call(value, f.Loc()))
		}
		if len(f.ElemRules) > 0 {
			lines = append(lines, "for i, e := range "+value+".Values() {")
			for _, r := range f.ElemRules {
				lines = append(lines, "\t"+r.Call("e", f.Loc()+", i"))
			}
			lines = append(lines, "}")
		}
		return lines
	}
	indent := func(lines []string) []string {
		for i := range lines {
			lines[i] = "\t" + lines[i]
		}
		return lines
	}
	switch {
	case f.Mode == Required || f.Mode == NullableField && f.Type.Slice:
		out = body(v)
	case f.Mode == NullableField:
		value := "(*" + v + ")"
		if f.Type.Elem != nil {
			value = v // an array has element rules only, and *Array has its methods
		}
		out = append(out, "if "+v+" != nil {")
		out = append(out, indent(body(value))...)
		out = append(out, "}")
	default:
		out = append(out, "if v, ok := "+v+".Get(); ok {")
		out = append(out, indent(body("v"))...)
		out = append(out, "}")
	}
	return out
}

// InsertValue is the value an INSERT or UPDATE passes for the field of the
// request named recv, when the request carries it.
func (f *RequestField) InsertValue(recv string) string {
	v := recv + "." + f.GoName
	if f.Mode != OptionalField {
		return v
	}
	if f.NotNull || f.Type.Slice {
		// A slice is nil when null, which pgx writes as NULL; a pointer to
		// it would reach pgx's JSON encoder, which compacts json text.
		return v + ".Value"
	}
	return v + ".Ptr()"
}

// Cast is the cast written after the field's $n parameter.
func (f *Field) Cast() string { return f.Type.Param }

// ScanTargets lists the Scan arguments for a row named recv.
func (r *Resource) ScanTargets(recv string) string {
	out := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		out[i] = "&" + recv + "." + f.GoName
	}
	return strings.Join(out, ", ")
}

// SelectList is the columns read for a row, cast where needed.
func (r *Resource) SelectList() string {
	out := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		out[i] = f.Quoted
		if f.Type.Select != "" {
			out[i] = fmt.Sprintf(f.Type.Select, f.Quoted)
		}
	}
	return strings.Join(out, ", ")
}

// KeyWhere is the WHERE condition on the key, with parameters from $first.
func (r *Resource) KeyWhere(first int) string {
	out := make([]string, len(r.Key))
	for i, k := range r.Key {
		out[i] = fmt.Sprintf("%s = $%d%s", k.Quoted, first+i, k.Cast())
	}
	return strings.Join(out, " AND ")
}

// KeyOrder is the ORDER BY list of the key; empty for tables without one.
func (r *Resource) KeyOrder() string {
	out := make([]string, len(r.Key))
	for i, k := range r.Key {
		out[i] = k.Quoted
	}
	return strings.Join(out, ", ")
}

// KeyParams declares the key as function parameters: id int64, tag string.
func (r *Resource) KeyParams() string {
	out := make([]string, len(r.Key))
	for i, k := range r.Key {
		out[i] = k.PathVar + " " + k.Type.Name
	}
	return strings.Join(out, ", ")
}

// KeyArgs lists the key variables: id, tag.
func (r *Resource) KeyArgs() string {
	out := make([]string, len(r.Key))
	for i, k := range r.Key {
		out[i] = k.PathVar
	}
	return strings.Join(out, ", ")
}

// KeyOf lists the key of the row named recv as strings for a URL.
func (r *Resource) KeyOf(recv string) string {
	out := make([]string, len(r.Key))
	for i, k := range r.Key {
		format := k.Type.Key
		if format == "" {
			format = "runtime.KeyString"
		}
		out[i] = format + "(" + recv + "." + k.GoName + ")"
	}
	return strings.Join(out, ", ")
}

// KeyMismatch is the condition that a body key differs from the path.
func (f *Field) KeyMismatch(v string) string {
	if f.Type.Kind == KindDecimal {
		return v + ".String() != " + f.PathVar + ".String()"
	}
	return v + " != " + f.PathVar
}

// What names the table or view for doc comments: table public.authors.
func (r *Resource) What() string {
	return strings.ReplaceAll(string(r.Table.Kind), "_", " ") + " " + r.Table.QualifiedName()
}

// Doc formats text as the lines of a doc comment.
func Doc(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		out = append(out, strings.TrimRight(line, " \t\r"))
	}
	return out
}

// OneLine squeezes a comment into one line.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Op returns the operation named name, or nil.
func (r *Resource) Op(name string) *Op {
	for _, op := range r.Ops {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// TableName is the table's name as PostgreSQL reports it in errors.
func (r *Resource) TableName() string { return r.Table.Name }

// HasPrefix reports whether a resource lives outside public.
func (r *Resource) Schema() string { return r.Table.Schema }

// GetSQL reads the row with a key.
func (r *Resource) GetSQL() string {
	return "SELECT " + r.SelectList() + " FROM " + r.SQLTable + " WHERE " + r.KeyWhere(1)
}

// coalescedKeyTypes are the key types whose equality in PostgreSQL, under
// the default collation, is Go's == on the values read back, so that rows
// one statement reads for many keys can be matched to their keys.
var coalescedKeyTypes = map[string]bool{"int2": true, "int4": true, "int8": true, "text": true, "varchar": true, "uuid": true}

// CoalescedKey is the key field when reads by key can share statements
// (runtime.Coalescer): a single column of a type in coalescedKeyTypes,
// read and passed as is. Nil otherwise.
func (r *Resource) CoalescedKey() *Field {
	if len(r.Key) != 1 {
		return nil
	}
	k := r.Key[0]
	if k.Column == nil {
		return nil
	}
	t := k.Column.Type
	if t.Schema != "pg_catalog" || t.IsArray() || !coalescedKeyTypes[t.Name] || k.Column.Collation != "" || k.Type.Select != "" || k.Type.Param != "" {
		return nil
	}
	return k
}

// GetManySQL reads the rows with any of the keys in $1, for the
// coalesced reads of CoalescedKey.
func (r *Resource) GetManySQL() string {
	k := r.CoalescedKey()
	return "SELECT " + r.SelectList() + " FROM " + r.SQLTable + " WHERE " + k.Quoted + " = ANY($1)"
}

// DeleteSQL deletes the row with a key.
func (r *Resource) DeleteSQL() string {
	return "DELETE FROM " + r.SQLTable + " WHERE " + r.KeyWhere(1)
}

// Requests lists the request types of the resource.
func (r *Resource) Requests() []*Request {
	var out []*Request
	for _, req := range []*Request{r.Create, r.Update, r.Patch} {
		if req != nil {
			out = append(out, req)
		}
	}
	return out
}

// GoString quotes s as a Go string literal, raw when it can be.
func GoString(s string) string {
	if !strings.ContainsAny(s, "`\r") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
