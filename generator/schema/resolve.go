package schema

import (
	"github.com/crudgen/crudgen/generator/ddl"
)

// resolveType resolves a type as written to the type PostgreSQL would use.
func (b *builder) resolveType(tn *ddl.TypeName) (Type, error) {
	if tn == nil || len(tn.Names) == 0 {
		return Type{}, b.errorf("missing type")
	}
	if tn.PctType {
		return Type{}, b.errorAt(tn.Pos, "%%TYPE references are only allowed in functions")
	}
	t, err := b.resolveTypeName(tn)
	if err != nil {
		return Type{}, err
	}
	t.ArrayDims += tn.ArrayDims
	return t, nil
}

func (b *builder) resolveTypeName(tn *ddl.TypeName) (Type, error) {
	names := tn.Names
	name := names[len(names)-1]
	schema := ""
	if len(names) > 1 {
		schema = names[len(names)-2]
	}
	builtin := func(name string) (Type, error) {
		mods, err := builtinMods(name, tn.Mods)
		if err != nil {
			return Type{}, b.errorAt(tn.Pos, "%v", err)
		}
		return Type{Kind: Builtin, Schema: "pg_catalog", Name: name, Mods: mods}, nil
	}
	if schema == "pg_catalog" {
		if builtinTypes[name] {
			return builtin(name)
		}
		return Type{}, b.errorAt(tn.Pos, "type %q does not exist", "pg_catalog."+name)
	}
	if schema != "" {
		if ns := b.schemas[schema]; ns != nil {
			if td := ns.types[name]; td != nil {
				return b.userType(ns, name, td, tn)
			}
		}
		return b.unknownType(schema, name, tn), nil
	}
	// Unqualified: pg_catalog comes first unless search_path places it.
	explicitCatalog := false
	for _, s := range b.searchPath {
		if s == "pg_catalog" {
			explicitCatalog = true
			break
		}
	}
	if alias, ok := typeAliases[name]; ok && !explicitCatalog {
		return builtin(alias)
	}
	if builtinTypes[name] && !explicitCatalog {
		return builtin(name)
	}
	for _, s := range b.searchPath {
		if s == "pg_catalog" {
			if builtinTypes[name] {
				return builtin(name)
			}
			continue
		}
		if ns := b.schemas[s]; ns != nil {
			if td := ns.types[name]; td != nil {
				return b.userType(ns, name, td, tn)
			}
		}
	}
	return b.unknownType("", name, tn), nil
}

// userType returns a type defined by the input.
func (b *builder) userType(ns *namespace, name string, td *typeDef, tn *ddl.TypeName) (Type, error) {
	if len(tn.Mods) > 0 {
		return Type{}, b.errorAt(tn.Pos, "type modifier is not allowed for type %q", name)
	}
	t := Type{Kind: td.kind, Schema: ns.schema.Name, Name: name}
	return t, nil
}

// unknownType stands for a type the input does not define, such as one an
// extension brings. It is kept with its schema (the extension's, or the one
// it was qualified with) and noted, and code generation treats it as text.
func (b *builder) unknownType(schema, name string, tn *ddl.TypeName) Type {
	if schema == "" {
		schema = b.extensionSchema(name)
	}
	t := Type{Kind: Unknown, Schema: schema, Name: name}
	for _, m := range tn.Mods {
		t.ModText = append(t.ModText, m.Text)
	}
	if schema == "" {
		t.Schema = "public"
		if p := b.pathSchemas(); len(p) > 0 {
			t.Schema = p[0].schema.Name
		}
	}
	b.cat.Notes = append(b.cat.Notes, ddl.Errorf(posOr(tn.Pos, b.stmt.Pos), "type %s is not defined in the input; it is treated as text", t))
	return t
}

// extensionSchema returns the schema of the extension that defines a
// well-known type, when that extension was created.
func (b *builder) extensionSchema(typ string) string {
	ext := extensionTypes[typ]
	for _, e := range b.cat.Extensions {
		if e.Name == ext {
			return e.Schema
		}
	}
	return ""
}

func posOr(p, fallback ddl.Pos) ddl.Pos {
	if p.Line == 0 {
		return fallback
	}
	return p
}

// isSerial reports whether a column type is one of the serial pseudo-types.
func isSerial(tn *ddl.TypeName) (string, bool) {
	if tn == nil || len(tn.Names) != 1 || tn.ArrayDims > 0 || tn.PctType {
		return "", false
	}
	t, ok := serialTypes[tn.Names[0]]
	return t, ok
}

// extensionIn returns the name of an extension created in schema, if any.
func (b *builder) extensionIn(schema string) string {
	for _, e := range b.cat.Extensions {
		if e.Schema == schema && schema != "" {
			return e.Name
		}
	}
	return ""
}
