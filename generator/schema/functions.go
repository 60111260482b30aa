package schema

import (
	"slices"

	"github.com/crudgen/crudgen/generator/ddl"
)

// function is what crudgen keeps of a function: the shape of its result,
// for views that select from it.
type function struct {
	returns *ddl.TypeName
	columns []*ddl.ColumnDef // OUT, INOUT and TABLE parameters
}

func (b *builder) createFunction(s *ddl.CreateFunction) {
	b.skip("CREATE FUNCTION")
	ns, err := b.creationSchema(s.Name)
	if err != nil {
		return // PostgreSQL would fail too; the function does not shape data
	}
	ns.functions[s.Name.Name] = append(ns.functions[s.Name.Name], &function{returns: s.Returns, columns: s.Columns})
}

// functionResult returns the columns a function in FROM yields, named as
// PostgreSQL names them, or nil when crudgen cannot know them (unknown
// function, RETURNS record, overloads that disagree).
func (b *builder) functionResult(q ddl.QName, alias string) []viewCol {
	var fns []*function
	if q.Schema != "" {
		if ns := b.schemas[q.Schema]; ns != nil {
			fns = ns.functions[q.Name]
		}
	} else {
		for _, ns := range b.pathSchemas() {
			if fns = ns.functions[q.Name]; fns != nil {
				break
			}
		}
	}
	var result []viewCol
	for i, f := range fns {
		cols := b.resultColumns(f, alias)
		if cols == nil || i > 0 && !sameCols(cols, result) {
			return nil
		}
		result = cols
	}
	return result
}

func (b *builder) resultColumns(f *function, alias string) []viewCol {
	switch {
	case len(f.columns) > 1:
		var out []viewCol
		for _, c := range f.columns {
			out = append(out, viewCol{name: c.Name, typ: b.quietType(c.Type)})
		}
		return out
	case len(f.columns) == 1:
		return []viewCol{{name: f.columns[0].Name, typ: b.quietType(f.columns[0].Type)}}
	case f.returns == nil:
		return nil
	}
	typ := b.quietType(f.returns)
	if typ.Kind == Composite && typ.ArrayDims == 0 {
		td := b.ns(typ.Schema).types[typ.Name]
		var cols []*Column
		switch {
		case td.table != nil:
			cols = td.table.Columns
		case td.comp != nil:
			cols = td.comp.Columns
		}
		out := make([]viewCol, len(cols))
		for i, c := range cols {
			out[i] = viewCol{name: c.Name, typ: c.Type}
		}
		return out
	}
	if typ.Kind == Unknown && typ.Name == "record" {
		return nil
	}
	return []viewCol{{name: alias, typ: typ}}
}

// quietType resolves a type without noting unknown ones: function
// signatures use pseudo-types (trigger, void, record) crudgen does not list.
func (b *builder) quietType(tn *ddl.TypeName) Type {
	notes := len(b.cat.Notes)
	t, err := b.resolveType(tn)
	b.cat.Notes = b.cat.Notes[:notes]
	if err != nil {
		return unknownType
	}
	return t
}

func sameCols(a, b []viewCol) bool {
	return slices.EqualFunc(a, b, func(x, y viewCol) bool { return x.name == y.name && x.typ.String() == y.typ.String() })
}
