package schema

import (
	"slices"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
)

// lookupType finds a type defined by the input by name.
func (b *builder) lookupType(q ddl.QName) (*namespace, *typeDef) {
	if q.Schema != "" {
		if ns := b.schemas[q.Schema]; ns != nil {
			if td := ns.types[q.Name]; td != nil {
				return ns, td
			}
		}
		return nil, nil
	}
	for _, ns := range b.pathSchemas() {
		if td := ns.types[q.Name]; td != nil {
			return ns, td
		}
	}
	return nil, nil
}

var objectNames = map[string]string{
	"table": "table", "view": "view", "materialized_view": "materialized view",
	"foreign_table": "foreign table", "sequence": "sequence", "index": "index",
	"type": "type", "domain": "type",
}

func (b *builder) drop(s *ddl.Drop) error {
	if s.Object == "rule" {
		return b.dropRule(s)
	}
	for _, q := range s.Names {
		var err error
		switch s.Object {
		case "table", "view", "materialized_view", "foreign_table", "sequence", "index":
			err = b.dropRelation(q, s)
		case "type", "domain":
			err = b.dropType(q, s)
		case "schema":
			err = b.dropSchema(q.Name, s)
		default:
			b.skip("DROP " + upperObject(s.Object))
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) dropRelation(q ddl.QName, s *ddl.Drop) error {
	r := b.lookupRel(q)
	what := objectNames[s.Object]
	if r == nil {
		if s.IfExists {
			b.note("%s %q does not exist, skipping", what, relDisplay(q))
			return nil
		}
		return b.errorf("%s %q does not exist", what, relDisplay(q))
	}
	kindOK := map[string]bool{
		"table":             r.kind == relTable && !r.table.IsView(),
		"view":              r.kind == relTable && r.table.Kind == KindView,
		"materialized_view": r.kind == relTable && r.table.Kind == KindMaterializedView,
		"foreign_table":     r.kind == relForeign,
		"sequence":          r.kind == relSequence,
		"index":             r.kind == relIndex,
	}[s.Object]
	if !kindOK {
		return b.errorf("%q is not a %s", q.Name, what)
	}
	switch r.kind {
	case relTable:
		return b.dropTable(r.table, s.Cascade)
	case relIndex:
		ix := r.index
		if ix.constraint {
			return b.errorf("cannot drop index %s because constraint %s on table %s requires it", ix.name, ix.name, ix.table.Name)
		}
		b.removeIndexKey(ix.table, ix)
		b.removeKeyIndex(ix.table, ix.name)
	case relSequence:
		b.cat.Sequences = slices.DeleteFunc(b.cat.Sequences, func(x *Sequence) bool { return x == r.seq })
		delete(b.ns(r.seq.Schema).rels, r.seq.Name)
	case relForeign:
		for _, ns := range b.schemas {
			for name, x := range ns.rels {
				if x == r {
					delete(ns.rels, name)
				}
			}
		}
	}
	return nil
}

// dependents lists what depends on t: foreign keys of other tables, views
// reading it and inheritance children.
func (b *builder) dependents(t *Table) []string {
	var out []string
	for _, o := range b.cat.Tables {
		if o == t || o.PartitionOf == t {
			continue
		}
		for _, fk := range o.ForeignKeys {
			if fk.Ref == t && fk.parent == nil {
				out = append(out, "constraint "+fk.Name+" on table "+o.Name)
			}
		}
		if slices.Contains(o.deps, t) {
			out = append(out, string(o.Kind)+" "+o.Name)
		}
		if slices.Contains(o.Inherits, t) {
			out = append(out, "table "+o.Name)
		}
	}
	return out
}

func (b *builder) dropTable(t *Table, cascade bool) error {
	if deps := b.dependents(t); len(deps) > 0 && !cascade {
		return b.errorf("cannot drop %s %s because other objects depend on it: %s (use CASCADE)",
			strings.ReplaceAll(string(t.Kind), "_", " "), t.Name, strings.Join(deps, ", "))
	}
	for _, o := range slices.Clone(b.cat.Tables) {
		if o == t || !slices.Contains(b.cat.Tables, o) {
			continue
		}
		if o.PartitionOf == t || slices.Contains(o.deps, t) || slices.Contains(o.Inherits, t) {
			if err := b.dropTable(o, true); err != nil {
				return err
			}
			continue
		}
		ons := b.ns(o.Schema)
		o.ForeignKeys = slices.DeleteFunc(o.ForeignKeys, func(fk *ForeignKey) bool {
			if fk.Ref == t {
				ons.constraints[fk.Name]--
				return true
			}
			return false
		})
	}
	ns := b.ns(t.Schema)
	for _, ix := range t.indexes {
		delete(ns.rels, ix.name)
	}
	for _, name := range t.constraintNames() {
		ns.constraints[name]--
	}
	b.cat.Sequences = slices.DeleteFunc(b.cat.Sequences, func(s *Sequence) bool {
		if s.OwnedByTable == t {
			delete(b.ns(s.Schema).rels, s.Name)
			return true
		}
		return false
	})
	delete(ns.rels, t.Name)
	delete(ns.types, t.Name)
	b.cat.Tables = slices.DeleteFunc(b.cat.Tables, func(x *Table) bool { return x == t })
	return nil
}

// constraintNames lists every constraint name of t.
func (t *Table) constraintNames() []string {
	var out []string
	if t.PrimaryKey != nil {
		out = append(out, t.PrimaryKey.Name)
	}
	for _, ks := range [][]*Key{t.Unique, t.Exclusions} {
		for _, k := range ks {
			if !k.Index {
				out = append(out, k.Name)
			}
		}
	}
	for _, fk := range t.ForeignKeys {
		out = append(out, fk.Name)
	}
	for _, k := range t.Checks {
		out = append(out, k.Name)
	}
	return out
}

func (b *builder) dropType(q ddl.QName, s *ddl.Drop) error {
	ns, td := b.lookupType(q)
	if td == nil {
		if s.IfExists {
			b.note("type %q does not exist, skipping", relDisplay(q))
			return nil
		}
		return b.errorf("type %q does not exist", relDisplay(q))
	}
	if td.table != nil {
		return b.errorf("cannot drop type %s because %s %s requires it", q.Name, strings.ReplaceAll(string(td.table.Kind), "_", " "), td.table.Name)
	}
	if s.Object == "domain" && td.kind != Domain {
		return b.errorf("%q is not a domain", q.Name)
	}
	if s.Object == "type" && td.kind == Domain {
		return b.errorf("%q is a domain; use DROP DOMAIN", q.Name)
	}
	schema, name := ns.schema.Name, q.Name
	uses := func(t Type) bool { return t.Schema == schema && t.Name == name }
	for _, t := range slices.Clone(b.cat.Tables) {
		for _, c := range slices.Clone(t.Columns) {
			if !uses(c.Type) {
				continue
			}
			if !s.Cascade {
				return b.errorf("cannot drop type %s because column %s of table %s requires it (use CASCADE)", name, c.Name, t.Name)
			}
			if t.IsView() {
				if err := b.dropTable(t, true); err != nil {
					return err
				}
				break
			}
			if err := b.dropColumn(t, c, true); err != nil {
				return err
			}
		}
	}
	for _, d := range b.cat.Domains {
		if uses(d.Type) && !s.Cascade {
			return b.errorf("cannot drop type %s because type %s requires it (use CASCADE)", name, d.Name)
		}
	}
	delete(ns.types, name)
	switch td.kind {
	case Enum:
		b.cat.Enums = slices.DeleteFunc(b.cat.Enums, func(x *EnumType) bool { return x == td.enum })
	case Domain:
		b.cat.Domains = slices.DeleteFunc(b.cat.Domains, func(x *DomainType) bool { return x == td.domain })
		for _, k := range td.domain.Checks {
			ns.constraints[k.Name]--
		}
	case Composite:
		b.cat.Composites = slices.DeleteFunc(b.cat.Composites, func(x *CompositeType) bool { return x == td.comp })
		delete(ns.rels, name)
	case Range:
		b.cat.Ranges = slices.DeleteFunc(b.cat.Ranges, func(x *RangeType) bool { return x == td.rng })
		delete(ns.types, multirangeName(name))
	case BaseType:
		b.cat.BaseTypes = slices.DeleteFunc(b.cat.BaseTypes, func(x *BaseTypeDef) bool { return x == td.base })
	}
	return nil
}

func (b *builder) dropSchema(name string, s *ddl.Drop) error {
	ns := b.schemas[name]
	if ns == nil {
		if s.IfExists {
			b.note("schema %q does not exist, skipping", name)
			return nil
		}
		return b.errorf("schema %q does not exist", name)
	}
	if (len(ns.rels) > 0 || len(ns.types) > 0) && !s.Cascade {
		return b.errorf("cannot drop schema %s because other objects depend on it (use CASCADE)", name)
	}
	for _, t := range slices.Clone(b.cat.Tables) {
		if t.Schema == name && slices.Contains(b.cat.Tables, t) {
			if err := b.dropTable(t, true); err != nil {
				return err
			}
		}
	}
	inSchema := func(s string) bool { return s == name }
	b.cat.Enums = slices.DeleteFunc(b.cat.Enums, func(x *EnumType) bool { return inSchema(x.Schema) })
	b.cat.Domains = slices.DeleteFunc(b.cat.Domains, func(x *DomainType) bool { return inSchema(x.Schema) })
	b.cat.Composites = slices.DeleteFunc(b.cat.Composites, func(x *CompositeType) bool { return inSchema(x.Schema) })
	b.cat.Ranges = slices.DeleteFunc(b.cat.Ranges, func(x *RangeType) bool { return inSchema(x.Schema) })
	b.cat.BaseTypes = slices.DeleteFunc(b.cat.BaseTypes, func(x *BaseTypeDef) bool { return inSchema(x.Schema) })
	b.cat.Sequences = slices.DeleteFunc(b.cat.Sequences, func(x *Sequence) bool { return inSchema(x.Schema) })
	b.cat.Extensions = slices.DeleteFunc(b.cat.Extensions, func(x *Extension) bool { return inSchema(x.Schema) })
	b.cat.Schemas = slices.DeleteFunc(b.cat.Schemas, func(x *Schema) bool { return x == ns.schema })
	delete(b.schemas, name)
	return nil
}

func (b *builder) rename(s *ddl.Rename) error {
	switch s.Object {
	case "table", "view", "materialized_view", "foreign_table", "sequence", "index":
		return b.renameRelation(s)
	case "column":
		t, err := b.table(s.Relation)
		if err != nil {
			if s.IfExists {
				return nil
			}
			return err
		}
		return b.renameColumn(t, s.Old, s.New)
	case "attribute":
		_, td := b.lookupType(s.Relation)
		if td == nil || td.comp == nil {
			return b.errorf("type %q does not exist", relDisplay(s.Relation))
		}
		for _, c := range td.comp.Columns {
			if c.Name == s.Old {
				c.Name = s.New
				return nil
			}
		}
		return b.errorf("column %q of relation %q does not exist", s.Old, s.Relation.Name)
	case "constraint":
		t, err := b.table(s.Relation)
		if err != nil {
			return err
		}
		return b.renameConstraint(t, s.Old, s.New)
	case "type", "domain":
		ns, td := b.lookupType(s.Target)
		if td == nil {
			return b.errorf("type %q does not exist", relDisplay(s.Target))
		}
		if td.table != nil {
			return b.errorf("%s is a table's row type; use ALTER TABLE instead", s.Target.Name)
		}
		if ns.types[s.New] != nil {
			return b.errorf("type %q already exists", s.New)
		}
		delete(ns.types, s.Old)
		ns.types[s.New] = td
		switch {
		case td.enum != nil:
			td.enum.Name = s.New
		case td.domain != nil:
			td.domain.Name = s.New
		case td.comp != nil:
			td.comp.Name = s.New
			ns.rels[s.New] = ns.rels[s.Old]
			delete(ns.rels, s.Old)
		case td.rng != nil:
			td.rng.Name = s.New
		case td.base != nil:
			td.base.Name = s.New
		}
		b.retargetTypes(ns.schema.Name, s.Old, ns.schema.Name, s.New)
	case "schema":
		ns := b.schemas[s.Old]
		if ns == nil {
			return b.errorf("schema %q does not exist", s.Old)
		}
		if b.schemas[s.New] != nil {
			return b.errorf("schema %q already exists", s.New)
		}
		delete(b.schemas, s.Old)
		b.schemas[s.New] = ns
		ns.schema.Name = s.New
		b.moveSchemaObjects(s.Old, s.New)
	case "domain_constraint":
		_, td := b.lookupType(s.Target)
		if td == nil || td.domain == nil {
			return b.errorf("type %q does not exist", relDisplay(s.Target))
		}
		for _, k := range td.domain.Checks {
			if k.Name == s.Old {
				k.Name = s.New
				return nil
			}
		}
		return b.errorf("constraint %q for domain %s does not exist", s.Old, s.Target.Name)
	default:
		b.skip("ALTER " + upperObject(s.Object) + " RENAME")
	}
	return nil
}

func (b *builder) renameRelation(s *ddl.Rename) error {
	r := b.lookupRel(s.Relation)
	if r == nil {
		if s.IfExists {
			b.note("relation %q does not exist, skipping", relDisplay(s.Relation))
			return nil
		}
		return b.errorf("relation %q does not exist", relDisplay(s.Relation))
	}
	var ns *namespace
	for _, x := range b.schemas {
		if x.rels[s.Old] == r {
			ns = x
		}
	}
	if ns.rels[s.New] != nil {
		return b.errorf("relation %q already exists", s.New)
	}
	delete(ns.rels, s.Old)
	ns.rels[s.New] = r
	switch r.kind {
	case relTable:
		if ns.types[s.New] != nil {
			return b.errorf("type %q already exists", s.New)
		}
		ns.types[s.New] = ns.types[s.Old]
		delete(ns.types, s.Old)
		r.table.Name = s.New
		b.retargetTypes(ns.schema.Name, s.Old, ns.schema.Name, s.New)
	case relSequence:
		r.seq.Name = s.New
	case relIndex:
		ix := r.index
		ix.name = s.New
		if ix.constraint {
			ns.constraints[s.Old]--
			ns.constraints[s.New]++
		}
		b.renameKey(ix.table, s.Old, s.New)
	}
	return nil
}

// renameKey renames the key an index backs.
func (b *builder) renameKey(t *Table, old, name string) {
	if t.PrimaryKey != nil && t.PrimaryKey.Name == old {
		t.PrimaryKey.Name = name
	}
	for _, ks := range [][]*Key{t.Unique, t.Exclusions} {
		for _, k := range ks {
			if k.Name == old {
				k.Name = name
			}
		}
	}
	for _, k := range t.UniquePartial {
		if k.Name == old {
			k.Name = name
		}
	}
}

func (b *builder) renameColumn(t *Table, old, name string) error {
	c := t.Column(old)
	if c == nil {
		return b.errorf("column %q does not exist", old)
	}
	if t.Column(name) != nil {
		return b.errorf("column %q of relation %q already exists", name, t.Name)
	}
	if c.inherited > 0 {
		return b.errorf("cannot rename inherited column %q", old)
	}
	c.Name = name
	renameInExprs(t, old, name)
	for _, child := range b.children(t) {
		if cc := child.Column(old); cc != nil {
			n := cc.inherited
			cc.inherited = 0 // rename it in the child as the parent does
			err := b.renameColumn(child, old, name)
			cc.inherited = n
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) renameConstraint(t *Table, old, name string) error {
	ns := b.ns(t.Schema)
	if !t.constraintNamed(old) {
		return b.errorf("constraint %q for table %q does not exist", old, t.Name)
	}
	if t.constraintNamed(name) {
		return b.errorf("constraint %q for relation %q already exists", name, t.Name)
	}
	ns.constraints[old]--
	ns.constraints[name]++
	if r := ns.rels[old]; r != nil && r.kind == relIndex && r.index.table == t {
		if ns.rels[name] != nil {
			return b.errorf("relation %q already exists", name)
		}
		delete(ns.rels, old)
		ns.rels[name] = r
		r.index.name = name
	}
	b.renameKey(t, old, name)
	for _, fk := range t.ForeignKeys {
		if fk.Name == old {
			fk.Name = name
		}
	}
	for _, k := range t.Checks {
		if k.Name == old {
			k.Name = name
		}
	}
	return nil
}

// retargetTypes points every use of a renamed or moved type at its new
// name, as PostgreSQL's references by OID would.
func (b *builder) retargetTypes(oldSchema, oldName, schema, name string) {
	fix := func(t *Type) {
		if t.Schema == oldSchema && (oldName == "" || t.Name == oldName) {
			t.Schema = schema
			if oldName != "" {
				t.Name = name
			}
		}
	}
	for _, t := range b.cat.Tables {
		for _, c := range t.Columns {
			fix(&c.Type)
		}
	}
	for _, ct := range b.cat.Composites {
		for _, c := range ct.Columns {
			fix(&c.Type)
		}
	}
	for _, d := range b.cat.Domains {
		fix(&d.Type)
	}
	for _, r := range b.cat.Ranges {
		fix(&r.Subtype)
	}
}

// moveSchemaObjects renames the schema of everything in schema old.
func (b *builder) moveSchemaObjects(old, name string) {
	for _, p := range b.schemaFields() {
		if *p == old {
			*p = name
		}
	}
	b.retargetTypes(old, "", name, "")
}

// schemaFields points at the Schema field of every object of the catalog.
func (b *builder) schemaFields() []*string {
	var out []*string
	for _, x := range b.cat.Tables {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.Enums {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.Domains {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.Composites {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.Ranges {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.BaseTypes {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.Sequences {
		out = append(out, &x.Schema)
	}
	for _, x := range b.cat.Extensions {
		out = append(out, &x.Schema)
	}
	return out
}

// schemaField points at the Schema field of the type td defines.
func (td *typeDef) schemaField() *string {
	switch {
	case td.enum != nil:
		return &td.enum.Schema
	case td.domain != nil:
		return &td.domain.Schema
	case td.comp != nil:
		return &td.comp.Schema
	case td.rng != nil:
		return &td.rng.Schema
	case td.base != nil:
		return &td.base.Schema
	}
	return nil
}

func (b *builder) setSchema(s *ddl.SetSchema) error {
	to := b.schemas[s.NewSchema]
	switch s.Object {
	case "table", "view", "materialized_view", "sequence":
		r := b.lookupRel(s.Name)
		if r == nil {
			if s.IfExists {
				return nil
			}
			return b.errorf("relation %q does not exist", relDisplay(s.Name))
		}
		if to == nil {
			return b.errorf("schema %q does not exist", s.NewSchema)
		}
		if r.kind == relSequence {
			from := b.ns(r.seq.Schema)
			delete(from.rels, r.seq.Name)
			to.rels[r.seq.Name] = r
			r.seq.Schema = s.NewSchema
			return nil
		}
		if r.kind != relTable {
			b.skip("ALTER " + upperObject(s.Object) + " SET SCHEMA")
			return nil
		}
		t := r.table
		from := b.ns(t.Schema)
		if to.rels[t.Name] != nil {
			return b.errorf("relation %q already exists in schema %q", t.Name, s.NewSchema)
		}
		delete(from.rels, t.Name)
		delete(from.types, t.Name)
		for _, ix := range t.indexes {
			to.rels[ix.name] = from.rels[ix.name]
			delete(from.rels, ix.name)
		}
		for _, name := range t.constraintNames() {
			from.constraints[name]--
			to.constraints[name]++
		}
		for _, seq := range b.cat.Sequences {
			if seq.OwnedByTable == t {
				to.rels[seq.Name] = from.rels[seq.Name]
				delete(from.rels, seq.Name)
				seq.Schema = s.NewSchema
			}
		}
		old := t.Schema
		t.Schema = s.NewSchema
		to.rels[t.Name] = r
		to.types[t.Name] = &typeDef{kind: Composite, table: t}
		b.retargetTypes(old, t.Name, s.NewSchema, t.Name)
	case "type", "domain":
		ns, td := b.lookupType(s.Name)
		if td == nil {
			if s.IfExists {
				return nil
			}
			return b.errorf("type %q does not exist", relDisplay(s.Name))
		}
		if to == nil {
			return b.errorf("schema %q does not exist", s.NewSchema)
		}
		name := s.Name.Name
		if td.table != nil {
			return b.errorf("%s is a table's row type; use ALTER TABLE instead", name)
		}
		if to.types[name] != nil {
			return b.errorf("type %q already exists in schema %q", name, s.NewSchema)
		}
		delete(ns.types, name)
		to.types[name] = td
		if td.comp != nil {
			to.rels[name] = ns.rels[name]
			delete(ns.rels, name)
		}
		if p := td.schemaField(); p != nil {
			*p = s.NewSchema
		}
		b.retargetTypes(ns.schema.Name, name, s.NewSchema, name)
	default:
		b.skip("ALTER " + upperObject(s.Object) + " SET SCHEMA")
	}
	return nil
}

func (b *builder) createIndex(s *ddl.CreateIndex) error {
	t, err := b.table(s.Table)
	if err != nil {
		return err
	}
	if t.Kind == KindView {
		return b.errorf("cannot create index on relation %q: it is a view", t.Name)
	}
	ns := b.ns(t.Schema)
	var cols []*Column
	var names, exprs []string
	plain := true
	for _, el := range s.Elems {
		if el.Expr != nil {
			plain = false
			cols = append(cols, nil)
			exprs = append(exprs, el.Expr.Text)
			names = append(names, indexExprName(el.Expr))
			continue
		}
		c := t.Column(el.Column)
		if c == nil {
			return b.errorf("column %q does not exist", el.Column)
		}
		cols = append(cols, c)
		exprs = append(exprs, c.Name)
		names = append(names, c.Name)
	}
	name := s.Name
	if name == "" {
		name = chooseRelationName(ns, t.Name, nameAddition(names), "idx", false)
	} else if ns.rels[name] != nil {
		if s.IfNotExists {
			b.note("relation %q already exists, skipping", name)
			return nil
		}
		return b.errorf("relation %q already exists", name)
	}
	where := ""
	if s.Where != nil {
		where = s.Where.Text
	}
	b.addIndex(ns, t, name, s.Unique, cols, exprs, where, s.NullsNotDistinct, plain)
	if !s.Only && t.Kind == KindPartitionedTable {
		return b.eachDescendant(t, func(part *Table) error {
			pcols := make([]*Column, len(cols))
			for i, c := range cols {
				if c != nil {
					pcols[i] = part.Column(c.Name)
				}
			}
			pns := b.ns(part.Schema)
			b.addIndex(pns, part, chooseRelationName(pns, part.Name, nameAddition(names), "idx", false), s.Unique, pcols, exprs, where, s.NullsNotDistinct, plain)
			return nil
		})
	}
	return nil
}

func (b *builder) addIndex(ns *namespace, t *Table, name string, unique bool, cols []*Column, exprs []string, where string, nullsNotDistinct, plain bool) {
	if unique && plain && where == "" {
		b.addUniqueIndex(ns, t, name, cols, nullsNotDistinct, nil)
		return
	}
	ix := &index{name: name, table: t, unique: unique, columns: cols, exprs: exprs, where: where}
	t.indexes = append(t.indexes, ix)
	ns.rels[name] = &relation{kind: relIndex, index: ix}
	if unique {
		t.UniquePartial = append(t.UniquePartial, &PartialUnique{Name: name, Columns: exprs, Where: where})
	}
}

// indexExprName is the name PostgreSQL puts into generated index names for
// an expression: the function's name, or "expr".
func indexExprName(e *ddl.Expr) string {
	for e.Kind == ddl.ExprCast || e.Kind == ddl.ExprCollate {
		e = e.Args[0]
	}
	if e.Kind == ddl.ExprFunc && len(e.Names) > 0 {
		return e.Names[len(e.Names)-1]
	}
	return "expr"
}

// renameInExprs makes the expressions of t that use a renamed column show
// its new name.
func renameInExprs(t *Table, old, name string) {
	for _, k := range t.Checks {
		k.Expr = ddl.RenameColumn(k.Expr, old, name)
	}
	for _, c := range t.Columns {
		c.GeneratedExpr = ddl.RenameColumn(c.GeneratedExpr, old, name)
	}
	for _, k := range t.UniquePartial {
		for i, col := range k.Columns {
			k.Columns[i] = ddl.RenameIdentInText(col, old, name)
		}
		k.Where = ddl.RenameIdentInText(k.Where, old, name)
	}
}
