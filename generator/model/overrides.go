package model

import (
	"fmt"
	"go/token"
	"path"
	"strings"

	"github.com/crudgen/crudgen/generator/schema"
)

// TypeOverride replaces crudgen's choice of Go type for a database type or
// a column.
type TypeOverride struct {
	// Go is the type: a Go type crudgen knows (string, int64, float64,
	// bool, time.Time...) or one of another package, "import/path.Name",
	// which must scan with pgx and encode with encoding/json.
	Go string
	// OpenAPI is the schema of its values: type, format, pattern,
	// description; {} (any value) when empty.
	OpenAPI map[string]string
}

// override returns the Go type the configuration gives a column, if any:
// by table.column first, then by the column's type as PostgreSQL names it
// (int8 or bigint, public.citext or citext).
func (b *builder) override(r *Resource, c *schema.Column) (GoType, bool, error) {
	key := b.tableKey(r.Table) + "." + c.Name
	ov, ok := b.opts.Types[key]
	if ok {
		b.used["types"][key] = true
	} else {
		t := c.Type
		for _, name := range []string{t.Name, t.String(), t.Schema + "." + t.Name} {
			if ov, ok = b.opts.Types[name]; ok {
				b.used["types"][name] = true
				break
			}
		}
	}
	if !ok {
		return GoType{}, false, nil
	}
	g, err := b.goTypeOf(ov)
	if err != nil {
		return GoType{}, false, fmt.Errorf("types: %s: %w", key, err)
	}
	return g, true, nil
}

// goTypes are the Go types crudgen reads and writes itself, by name.
var goTypes = map[string]GoType{
	"string": builtin["text"], "int16": builtin["int2"], "int32": builtin["int4"], "int64": builtin["int8"],
	"float32": builtin["float4"], "float64": builtin["float8"], "bool": builtin["bool"],
	"time.Time": builtin["timestamptz"], "[]byte": builtin["bytea"], "json.RawMessage": builtin["jsonb"],
	"netip.Addr": inetAddr, "netip.Prefix": builtin["cidr"],
	"runtime.Decimal": builtin["numeric"], "runtime.UUID": builtin["uuid"], "runtime.Date": builtin["date"],
	"runtime.TimeOfDay": builtin["time"], "runtime.Interval": builtin["interval"],
}

func (b *builder) goTypeOf(ov TypeOverride) (GoType, error) {
	schema := &Schema{}
	for k, v := range ov.OpenAPI {
		switch k {
		case "type":
			schema.Type = v
		case "format":
			schema.Format = v
		case "pattern":
			schema.Pattern = v
		case "description":
			schema.Description = v
		default:
			return GoType{}, fmt.Errorf("openapi: %q is not one of type, format, pattern, description", k)
		}
	}
	if g, ok := goTypes[ov.Go]; ok {
		if len(ov.OpenAPI) > 0 {
			g.JSON = schema
		}
		g.Param = ""
		return g, nil
	}
	at := strings.LastIndex(ov.Go, ".")
	if at <= 0 || !strings.Contains(ov.Go[:at], "/") && !strings.Contains(ov.Go[:at], ".") {
		return GoType{}, fmt.Errorf("go: %q is neither a type crudgen knows nor import/path.Name", ov.Go)
	}
	importPath, name := ov.Go[:at], ov.Go[at+1:]
	ident := path.Base(importPath)
	if !token.IsIdentifier(ident) || !token.IsExported(name) {
		return GoType{}, fmt.Errorf("go: %q does not end in a package named like its path and an exported type", ov.Go)
	}
	if other, ok := b.pkg.Imports[ident]; ok && other != importPath {
		return GoType{}, fmt.Errorf("go: packages %s and %s would both be %s", other, importPath, ident)
	}
	if b.pkg.Imports == nil {
		b.pkg.Imports = map[string]string{}
	}
	b.pkg.Imports[ident] = importPath
	typ := ident + "." + name
	return GoType{
		Name: typ, Read: "runtime.ReadJSONValue[" + typ + "]", Append: "runtime.AppendJSONValue[" + typ + "]",
		JSON: schema,
	}, nil
}
