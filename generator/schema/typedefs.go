package schema

import (
	"slices"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
)

// newType checks that name is free in the schema for a new type.
func (b *builder) newType(q ddl.QName) (*namespace, error) {
	ns, err := b.creationSchema(q)
	if err != nil {
		return nil, err
	}
	if td := ns.types[q.Name]; td != nil && !(td.kind == BaseType && td.base != nil) {
		return nil, b.errorf("type %q already exists", q.Name)
	}
	return ns, nil
}

func (b *builder) createEnum(s *ddl.CreateEnum) error {
	ns, err := b.newType(s.Name)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, v := range s.Values {
		if seen[v] {
			return b.errorf("enum label %q used more than once", v)
		}
		seen[v] = true
	}
	e := &EnumType{Schema: ns.schema.Name, Name: s.Name.Name, Values: slices.Clone(s.Values)}
	ns.types[e.Name] = &typeDef{kind: Enum, enum: e}
	b.cat.Enums = append(b.cat.Enums, e)
	return nil
}

func (b *builder) alterEnum(s *ddl.AlterEnum) error {
	_, td := b.lookupType(s.Name)
	if td == nil {
		return b.errorf("type %q does not exist", relDisplay(s.Name))
	}
	if td.enum == nil {
		return b.errorf("%s is not an enum", s.Name.Name)
	}
	e := td.enum
	if s.OldValue != "" {
		i := slices.Index(e.Values, s.OldValue)
		if i < 0 {
			return b.errorf("%q is not an existing enum label", s.OldValue)
		}
		if slices.Contains(e.Values, s.Value) {
			return b.errorf("enum label %q already exists", s.Value)
		}
		e.Values[i] = s.Value
		return nil
	}
	if slices.Contains(e.Values, s.Value) {
		if s.IfNotExists {
			b.note("enum label %q already exists, skipping", s.Value)
			return nil
		}
		return b.errorf("enum label %q already exists", s.Value)
	}
	at := len(e.Values)
	if s.Neighbor != "" {
		i := slices.Index(e.Values, s.Neighbor)
		if i < 0 {
			return b.errorf("%q is not an existing enum label", s.Neighbor)
		}
		at = i
		if s.After {
			at = i + 1
		}
	}
	e.Values = slices.Insert(e.Values, at, s.Value)
	return nil
}

func (b *builder) createDomain(s *ddl.CreateDomain) error {
	ns, err := b.newType(s.Name)
	if err != nil {
		return err
	}
	base, err := b.resolveType(s.Type)
	if err != nil {
		return err
	}
	d := &DomainType{Schema: ns.schema.Name, Name: s.Name.Name, Type: base}
	if len(s.Collation) > 0 {
		d.Collation = s.Collation[len(s.Collation)-1]
	}
	for _, k := range s.Constraints {
		if err := b.domainConstraint(ns, d, k); err != nil {
			return err
		}
	}
	ns.types[d.Name] = &typeDef{kind: Domain, domain: d}
	b.cat.Domains = append(b.cat.Domains, d)
	return nil
}

func (b *builder) domainConstraint(ns *namespace, d *DomainType, k *ddl.Constraint) error {
	switch k.Kind {
	case ddl.ConstrNotNull:
		d.NotNull = true
	case ddl.ConstrNull:
		d.NotNull = false
	case ddl.ConstrDefault:
		d.Default = k.Expr
	case ddl.ConstrCheck:
		name := k.Name
		if name == "" {
			name = chooseConstraintName(ns, d.Name, "", "check", nil)
		}
		d.Checks = append(d.Checks, &Check{Name: name, Expr: k.Expr})
		ns.constraints[name]++
	default:
		return b.errorAt(k.Pos, "%s constraints not possible for domains", k.Kind)
	}
	return nil
}

func (b *builder) alterDomain(s *ddl.AlterDomain) error {
	ns, td := b.lookupType(s.Name)
	if td == nil || td.domain == nil {
		return b.errorf("type %q does not exist", relDisplay(s.Name))
	}
	d := td.domain
	switch s.Action {
	case "set_default":
		d.Default = s.Expr
	case "drop_default":
		d.Default = nil
	case "set_not_null":
		d.NotNull = true
	case "drop_not_null":
		d.NotNull = false
	case "add_constraint":
		return b.domainConstraint(ns, d, s.Constraint)
	case "drop_constraint":
		n := len(d.Checks)
		d.Checks = slices.DeleteFunc(d.Checks, func(k *Check) bool { return k.Name == s.ConstrName })
		if len(d.Checks) == n {
			if s.IfExists {
				return nil
			}
			return b.errorf("constraint %q of domain %q does not exist", s.ConstrName, d.Name)
		}
		ns.constraints[s.ConstrName]--
	default:
		b.skip("ALTER DOMAIN")
	}
	return nil
}

func (b *builder) createComposite(s *ddl.CreateComposite) error {
	ns, err := b.newType(s.Name)
	if err != nil {
		return err
	}
	if ns.rels[s.Name.Name] != nil {
		return b.errorf("relation %q already exists", s.Name.Name)
	}
	ct := &CompositeType{Schema: ns.schema.Name, Name: s.Name.Name}
	for _, cd := range s.Columns {
		typ, err := b.resolveType(cd.Type)
		if err != nil {
			return err
		}
		c := &Column{Name: cd.Name, Type: typ, Pos: cd.Pos}
		if len(cd.Collation) > 0 {
			c.Collation = cd.Collation[len(cd.Collation)-1]
		}
		ct.Columns = append(ct.Columns, c)
	}
	ns.types[ct.Name] = &typeDef{kind: Composite, comp: ct}
	ns.rels[ct.Name] = &relation{kind: relComposite, comp: ct}
	b.cat.Composites = append(b.cat.Composites, ct)
	return nil
}

// multirangeName is the name PostgreSQL gives the multirange type of a
// range type.
func multirangeName(rangeName string) string {
	if i := strings.LastIndex(rangeName, "range"); i >= 0 {
		return rangeName[:i] + "multirange" + rangeName[i+len("range"):]
	}
	return rangeName + "_multirange"
}

func (b *builder) createRange(s *ddl.CreateRange) error {
	ns, err := b.newType(s.Name)
	if err != nil {
		return err
	}
	r := &RangeType{Schema: ns.schema.Name, Name: s.Name.Name}
	if s.Subtype != nil {
		if r.Subtype, err = b.resolveType(s.Subtype); err != nil {
			return err
		}
	}
	ns.types[r.Name] = &typeDef{kind: Range, rng: r}
	ns.types[multirangeName(r.Name)] = &typeDef{kind: Range, rng: r}
	b.cat.Ranges = append(b.cat.Ranges, r)
	return nil
}

func (b *builder) createBaseType(s *ddl.CreateBaseType) error {
	ns, err := b.creationSchema(s.Name)
	if err != nil {
		return err
	}
	if ns.types[s.Name.Name] != nil {
		return nil // completing a shell type
	}
	t := &BaseTypeDef{Schema: ns.schema.Name, Name: s.Name.Name}
	ns.types[t.Name] = &typeDef{kind: BaseType, base: t}
	b.cat.BaseTypes = append(b.cat.BaseTypes, t)
	return nil
}

func (b *builder) createSequence(s *ddl.CreateSequence) error {
	ns, skip, err := b.newRelation(s.Name, s.IfNotExists)
	if err != nil || skip {
		return err
	}
	seq := &Sequence{Schema: ns.schema.Name, Name: s.Name.Name}
	ns.rels[seq.Name] = &relation{kind: relSequence, seq: seq}
	b.cat.Sequences = append(b.cat.Sequences, seq)
	return b.setOwnedBy(seq, s.OwnedBy)
}

func (b *builder) alterSequence(s *ddl.AlterSequence) error {
	r := b.lookupRel(s.Name)
	if r == nil || r.kind != relSequence {
		if s.IfExists {
			return nil
		}
		return b.errorf("relation %q does not exist", relDisplay(s.Name))
	}
	return b.setOwnedBy(r.seq, s.OwnedBy)
}

func (b *builder) setOwnedBy(seq *Sequence, owned []string) error {
	if len(owned) == 0 {
		return nil
	}
	if len(owned) == 1 && strings.EqualFold(owned[0], "none") {
		seq.OwnedBy, seq.OwnedByTable = nil, nil
		return nil
	}
	if len(owned) < 2 {
		return b.errorf("invalid OWNED BY option")
	}
	rel := ddl.QName{Name: owned[len(owned)-2]}
	if len(owned) > 2 {
		rel.Schema = owned[len(owned)-3]
	}
	t, err := b.table(rel)
	if err != nil {
		return err
	}
	c := t.Column(owned[len(owned)-1])
	if c == nil {
		return b.errorf("column %q of relation %q does not exist", owned[len(owned)-1], t.Name)
	}
	seq.OwnedBy, seq.OwnedByTable = c, t
	return nil
}

func (b *builder) comment(s *ddl.Comment) error {
	text := s.Text
	switch s.Object {
	case "table", "view", "materialized_view", "foreign_table":
		r := b.lookupRel(qnameOf(s.Names))
		if r == nil {
			return b.errorf("relation %q does not exist", strings.Join(s.Names, "."))
		}
		if r.kind == relTable {
			r.table.Comment = text
		}
	case "column":
		if len(s.Names) < 2 {
			return b.errorf("column name must be qualified")
		}
		q := qnameOf(s.Names[:len(s.Names)-1])
		col := s.Names[len(s.Names)-1]
		r := b.lookupRel(q)
		if r == nil {
			return b.errorf("relation %q does not exist", relDisplay(q))
		}
		var cols []*Column
		switch r.kind {
		case relTable:
			cols = r.table.Columns
		case relComposite:
			cols = r.comp.Columns
		default:
			return nil
		}
		for _, c := range cols {
			if c.Name == col {
				c.Comment = text
				return nil
			}
		}
		return b.errorf("column %q of relation %q does not exist", col, q.Name)
	case "type", "domain":
		_, td := b.lookupType(qnameOf(s.Names))
		if td == nil {
			return b.errorf("type %q does not exist", strings.Join(s.Names, "."))
		}
		switch {
		case td.enum != nil:
			td.enum.Comment = text
		case td.domain != nil:
			td.domain.Comment = text
		case td.comp != nil:
			td.comp.Comment = text
		}
	case "schema":
		ns := b.schemas[s.Names[0]]
		if ns == nil {
			return b.errorf("schema %q does not exist", s.Names[0])
		}
		ns.schema.Comment = text
	default:
		b.skip("COMMENT ON " + upperObject(s.Object))
	}
	return nil
}

// qnameOf keeps the last two parts of a dotted name.
func qnameOf(parts []string) ddl.QName {
	switch len(parts) {
	case 0:
		return ddl.QName{}
	case 1:
		return ddl.QName{Name: parts[0]}
	}
	return ddl.QName{Schema: parts[len(parts)-2], Name: parts[len(parts)-1]}
}
