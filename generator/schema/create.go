package schema

import (
	"fmt"
	"slices"

	"github.com/crudgen/crudgen/generator/ddl"
)

// pending collects the constraints of one statement, which PostgreSQL
// names and applies in a fixed order: checks with the table, then the
// indexes of primary keys and unique constraints, then foreign keys.
type pending struct {
	checks  []*ddl.Constraint
	indexes []*ddl.Constraint
	fks     []*ddl.Constraint
	// colOf remembers the column a column constraint was written on.
	colOf map[*ddl.Constraint]string
}

func (p *pending) add(k *ddl.Constraint, column string) {
	if column != "" {
		if p.colOf == nil {
			p.colOf = map[*ddl.Constraint]string{}
		}
		p.colOf[k] = column
		if len(k.Columns) == 0 && (k.Kind == ddl.ConstrPrimaryKey || k.Kind == ddl.ConstrUnique || k.Kind == ddl.ConstrForeignKey) {
			k.Columns = []string{column}
		}
	}
	switch k.Kind {
	case ddl.ConstrCheck:
		p.checks = append(p.checks, k)
	case ddl.ConstrPrimaryKey, ddl.ConstrUnique, ddl.ConstrExclusion:
		p.indexes = append(p.indexes, k)
	case ddl.ConstrForeignKey:
		p.fks = append(p.fks, k)
	}
}

func (b *builder) createTable(s *ddl.CreateTable) error {
	if s.Temporary {
		b.note("temporary table %s skipped: it does not outlive the session", s.Name)
		b.skip("CREATE TEMPORARY TABLE")
		return nil
	}
	ns, skip, err := b.newRelation(s.Name, s.IfNotExists)
	if err != nil || skip {
		return err
	}
	if ns.types[s.Name.Name] != nil {
		return b.errorf("type %q already exists", s.Name.Name)
	}
	if s.Foreign {
		ns.rels[s.Name.Name] = &relation{kind: relForeign}
		b.note("foreign table %s skipped: crudgen serves tables and views", s.Name)
		b.skip("CREATE FOREIGN TABLE")
		return nil
	}
	t := &Table{Schema: ns.schema.Name, Name: s.Name.Name, Kind: KindTable, Pos: b.stmt.Pos}
	if s.Partitioned {
		t.Kind = KindPartitionedTable
	}
	p := &pending{}
	if s.OfType != nil {
		if err := b.typedTableColumns(t, s.OfType); err != nil {
			return err
		}
	}
	for _, q := range s.Inherits {
		parent, err := b.table(q)
		if err != nil {
			return err
		}
		if parent.IsView() {
			return b.errorf("inherited relation %q is not a table", q.Name)
		}
		if parent.Kind == KindPartitionedTable {
			return b.errorf("cannot inherit from partitioned table %q", q.Name)
		}
		if slices.Contains(t.Inherits, parent) {
			return b.errorf("relation %q would be inherited from more than once", q.Name)
		}
		t.Inherits = append(t.Inherits, parent)
		if err := b.inheritFrom(t, parent); err != nil {
			return err
		}
	}
	if s.PartitionOf != nil {
		parent, err := b.table(*s.PartitionOf)
		if err != nil {
			return err
		}
		if parent.Kind != KindPartitionedTable {
			return b.errorf("table %q is not partitioned", parent.Name)
		}
		t.PartitionOf = parent
		if err := b.inheritFrom(t, parent); err != nil {
			return err
		}
	}
	like := 0
	for i, cd := range s.Columns {
		for ; like < len(s.Likes) && s.Likes[like].At == i; like++ {
			if err := b.applyLike(t, s.Likes[like], p); err != nil {
				return err
			}
		}
		if err := b.addColumnDef(ns, t, cd, p, true); err != nil {
			return err
		}
	}
	for ; like < len(s.Likes); like++ {
		if err := b.applyLike(t, s.Likes[like], p); err != nil {
			return err
		}
	}
	for _, k := range s.Constraints {
		p.add(k, "")
	}
	b.addTable(ns, t)
	if err := b.applyPending(ns, t, p, false); err != nil {
		return err
	}
	if t.PartitionOf != nil {
		return b.cloneToPartition(t.PartitionOf, t)
	}
	return nil
}

// typedTableColumns gives a table created with OF type the type's columns.
func (b *builder) typedTableColumns(t *Table, tn *ddl.TypeName) error {
	typ, err := b.resolveType(tn)
	if err != nil {
		return err
	}
	td := b.ns(typ.Schema).types[typ.Name]
	if td == nil || td.comp == nil {
		return b.errorAt(tn.Pos, "type %s is not a composite type", typ)
	}
	for _, c := range td.comp.Columns {
		t.Columns = append(t.Columns, &Column{Name: c.Name, Type: c.Type, Collation: c.Collation, local: true})
	}
	return nil
}

// inheritFrom merges a parent's columns and inheritable checks into a new
// child table (INHERITS or PARTITION OF).
func (b *builder) inheritFrom(t, parent *Table) error {
	for _, pc := range parent.Columns {
		if c := t.Column(pc.Name); c != nil {
			if c.Type.String() != pc.Type.String() {
				return b.errorf("inherited column %q has a type conflict: %s versus %s", pc.Name, c.Type, pc.Type)
			}
			c.NotNull = c.NotNull || pc.NotNull
			c.inherited++
			continue
		}
		t.Columns = append(t.Columns, &Column{
			Name: pc.Name, Type: pc.Type, NotNull: pc.NotNull, Default: pc.Default,
			Generated: pc.Generated, GeneratedExpr: pc.GeneratedExpr, Collation: pc.Collation,
			inherited: 1,
		})
	}
	ns := b.ns(t.Schema)
	for _, k := range parent.Checks {
		if k.NoInherit || t.check(k.Name) != nil {
			continue
		}
		t.Checks = append(t.Checks, &Check{Name: k.Name, Expr: k.Expr})
		ns.constraints[k.Name]++
	}
	return nil
}

func (t *Table) check(name string) *Check {
	for _, k := range t.Checks {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// applyLike copies columns (and, as asked, defaults, constraints and
// indexes) from CREATE TABLE ... (LIKE source INCLUDING ...).
func (b *builder) applyLike(t *Table, l *ddl.TableLike, p *pending) error {
	src, err := b.table(l.Source)
	if err != nil {
		return err
	}
	for _, sc := range src.Columns {
		if t.Column(sc.Name) != nil {
			return b.errorAt(l.Pos, "column %q specified more than once", sc.Name)
		}
		c := &Column{Name: sc.Name, Type: sc.Type, NotNull: sc.NotNull, Collation: sc.Collation, local: true}
		if l.IncludingDefaults && sc.Generated == "" {
			c.Default = sc.Default
		}
		if l.IncludingGenerated && sc.Generated != "" {
			c.Generated, c.GeneratedExpr = sc.Generated, sc.GeneratedExpr
		}
		if l.IncludingIdentity && sc.Identity != "" {
			c.Identity = sc.Identity
		}
		if l.IncludingComments {
			c.Comment = sc.Comment
		}
		t.Columns = append(t.Columns, c)
	}
	if l.IncludingConstraints {
		for _, k := range src.Checks {
			p.add(&ddl.Constraint{Kind: ddl.ConstrCheck, Name: k.Name, Expr: k.Expr, NoInherit: k.NoInherit}, "")
		}
	}
	if l.IncludingIndexes {
		if src.PrimaryKey != nil {
			p.add(&ddl.Constraint{Kind: ddl.ConstrPrimaryKey, Columns: src.PrimaryKey.ColumnNames()}, "")
		}
		for _, k := range src.Unique {
			p.add(&ddl.Constraint{Kind: ddl.ConstrUnique, Columns: k.ColumnNames(), NullsNotDistinct: k.NullsNotDistinct}, "")
		}
	}
	return nil
}

// addColumnDef adds a column from CREATE TABLE or ALTER TABLE ADD COLUMN,
// or, for a column the table already inherited, merges into it.
func (b *builder) addColumnDef(ns *namespace, t *Table, cd *ddl.ColumnDef, p *pending, creating bool) error {
	c := t.Column(cd.Name)
	switch {
	case c != nil && c.local:
		if creating {
			return b.errorAt(cd.Pos, "column %q specified more than once", cd.Name)
		}
		return b.errorAt(cd.Pos, "column %q of relation %q already exists", cd.Name, t.Name)
	case c != nil: // merge with the inherited definition
		if cd.Type != nil {
			typ, err := b.resolveType(cd.Type)
			if err != nil {
				return err
			}
			if typ.String() != c.Type.String() {
				return b.errorAt(cd.Pos, "column %q has a type conflict: %s versus %s", cd.Name, c.Type, typ)
			}
		}
		if t.PartitionOf == nil {
			c.local = true
		}
	case cd.Type == nil:
		return b.errorAt(cd.Pos, "column %q does not exist", cd.Name)
	default:
		c = &Column{Name: cd.Name, Pos: cd.Pos, local: true}
		if base, ok := isSerial(cd.Type); ok {
			c.Type = Type{Kind: Builtin, Schema: "pg_catalog", Name: base}
			c.NotNull = true
			seq := b.ownedSequence(ns, t, c, "")
			c.Default = &ddl.Expr{Kind: ddl.ExprFunc, Names: []string{"nextval"}, Text: fmt.Sprintf("nextval(%s::regclass)", quoteLiteral(seq.qualified()))}
		} else {
			typ, err := b.resolveType(cd.Type)
			if err != nil {
				return err
			}
			c.Type = typ
		}
		t.Columns = append(t.Columns, c)
	}
	if len(cd.Collation) > 0 {
		c.Collation = cd.Collation[len(cd.Collation)-1]
	}
	for _, k := range cd.Constraints {
		switch k.Kind {
		case ddl.ConstrNotNull:
			c.NotNull = true
		case ddl.ConstrNull:
			if c.NotNull && c.inherited == 0 && c.Identity == "" {
				c.NotNull = false
			}
		case ddl.ConstrDefault:
			c.Default = k.Expr
		case ddl.ConstrIdentity:
			if c.Identity != "" {
				return b.errorAt(k.Pos, "multiple identity specifications for column %q of table %q", c.Name, t.Name)
			}
			c.Identity = k.When
			c.NotNull = true
			b.ownedSequence(ns, t, c, "").ForIdentityOf = c
		case ddl.ConstrGenerated:
			c.Generated, c.GeneratedExpr = k.When, k.Expr
		case ddl.ConstrPrimaryKey:
			c.NotNull = true
			p.add(k, c.Name)
		default:
			p.add(k, c.Name)
		}
	}
	if c.Generated != "" && c.Default != nil && c.Default != c.GeneratedExpr {
		return b.errorAt(cd.Pos, "both default and generation expression specified for column %q of table %q", c.Name, t.Name)
	}
	return nil
}

// ownedSequence creates the sequence behind a serial or identity column.
func (b *builder) ownedSequence(ns *namespace, t *Table, c *Column, name string) *Sequence {
	if name == "" {
		name = chooseRelationName(ns, t.Name, c.Name, "seq", false)
	}
	seq := &Sequence{Schema: ns.schema.Name, Name: name, OwnedBy: c, OwnedByTable: t}
	ns.rels[name] = &relation{kind: relSequence, seq: seq}
	b.cat.Sequences = append(b.cat.Sequences, seq)
	return seq
}

func (s *Sequence) qualified() string {
	return ddl.QuoteIdent(s.Schema) + "." + ddl.QuoteIdent(s.Name)
}

func quoteLiteral(s string) string {
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += "'"
		}
		out += string(r)
	}
	return out + "'"
}

// applyPending names and adds the collected constraints. recurse says the
// constraints also go to inheritance children and partitions (ALTER TABLE
// without ONLY).
func (b *builder) applyPending(ns *namespace, t *Table, p *pending, recurse bool) error {
	chosen := map[string]bool{}
	for _, k := range p.checks {
		if err := b.addCheck(ns, t, k, chosen, recurse); err != nil {
			return err
		}
	}
	indexes, err := b.dedupeIndexConstraints(t, p.indexes)
	if err != nil {
		return err
	}
	p.indexes = indexes
	for _, k := range p.indexes {
		if _, err := b.addIndexConstraint(ns, t, k, nil); err != nil {
			return err
		}
	}
	if recurse {
		for _, part := range b.partitions(t) {
			if err := b.cloneIndexes(t, part, p.indexes); err != nil {
				return err
			}
		}
	}
	for _, k := range p.fks {
		fk, err := b.addForeignKey(ns, t, k, chosen)
		if err != nil {
			return err
		}
		if recurse || t.Kind == KindPartitionedTable {
			for _, part := range b.partitions(t) {
				b.cloneForeignKey(part, fk)
			}
		}
	}
	return nil
}

// dedupeIndexConstraints drops the index constraints of one statement that
// repeat an earlier one, keeping the primary key first, as PostgreSQL's
// transformIndexConstraints does: `id int UNIQUE PRIMARY KEY` makes one
// index. An unnamed survivor takes the name of a named duplicate.
func (b *builder) dedupeIndexConstraints(t *Table, ks []*ddl.Constraint) ([]*ddl.Constraint, error) {
	var out []*ddl.Constraint
	var pkey *ddl.Constraint
	for _, k := range ks {
		if k.Kind == ddl.ConstrPrimaryKey {
			if pkey != nil {
				return nil, b.errorAt(k.Pos, "multiple primary keys for table %q are not allowed", t.Name)
			}
			pkey = k
			c := *k
			out = append(out, &c)
		}
	}
	for _, k := range ks {
		if k == pkey {
			continue
		}
		dup := false
		for _, prior := range out {
			if sameIndexConstraint(k, prior) {
				if prior.Name == "" {
					prior.Name = k.Name
				}
				dup = true
				break
			}
		}
		if !dup {
			c := *k
			out = append(out, &c)
		}
	}
	return out, nil
}

func sameIndexConstraint(a, b *ddl.Constraint) bool {
	return a.Kind != ddl.ConstrExclusion && b.Kind != ddl.ConstrExclusion &&
		a.UsingIndex == "" && b.UsingIndex == "" &&
		slices.Equal(a.Columns, b.Columns) && a.NullsNotDistinct == b.NullsNotDistinct &&
		a.Deferrable == b.Deferrable && a.InitDeferred == b.InitDeferred
}

func (b *builder) addCheck(ns *namespace, t *Table, k *ddl.Constraint, chosen map[string]bool, recurse bool) error {
	name := k.Name
	if name == "" {
		name = chooseConstraintName(ns, t.Name, singleColumn(t, k.Expr), "check", chosen)
	} else if ex := t.check(name); ex != nil {
		if ex.Expr.Text == k.Expr.Text {
			return nil // merged with the inherited check
		}
		return b.errorAt(k.Pos, "constraint %q for relation %q already exists", name, t.Name)
	} else if t.constraintNamed(name) {
		return b.errorAt(k.Pos, "constraint %q for relation %q already exists", name, t.Name)
	}
	chosen[name] = true
	t.Checks = append(t.Checks, &Check{Name: name, Expr: k.Expr, NoInherit: k.NoInherit})
	ns.constraints[name]++
	if recurse && !k.NoInherit {
		for _, child := range b.children(t) {
			if child.check(name) == nil {
				child.Checks = append(child.Checks, &Check{Name: name, Expr: k.Expr})
				b.ns(child.Schema).constraints[name]++
			}
		}
	}
	return nil
}

// singleColumn returns the only column a check expression refers to, which
// PostgreSQL puts into generated check names; "" when there are more.
func singleColumn(t *Table, e *ddl.Expr) string {
	seen := ""
	many := false
	var walk func(e *ddl.Expr)
	walk = func(e *ddl.Expr) {
		if e == nil || many {
			return
		}
		if e.Kind == ddl.ExprColumn && len(e.Names) > 0 {
			name := e.Names[len(e.Names)-1]
			if t.Column(name) != nil {
				if seen != "" && seen != name {
					many = true
				}
				seen = name
			}
		}
		for _, a := range e.Args {
			walk(a)
		}
	}
	walk(e)
	if many {
		return ""
	}
	return seen
}

// constraintNamed reports whether the table has a constraint of any kind
// named name.
func (t *Table) constraintNamed(name string) bool {
	if t.PrimaryKey != nil && t.PrimaryKey.Name == name {
		return true
	}
	for _, ks := range [][]*Key{t.Unique, t.Exclusions} {
		for _, k := range ks {
			if !k.Index && k.Name == name {
				return true
			}
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return true
		}
	}
	return t.check(name) != nil
}

func (t *Table) columnsNamed(names []string) ([]*Column, string) {
	cols := make([]*Column, len(names))
	for i, n := range names {
		cols[i] = t.Column(n)
		if cols[i] == nil {
			return nil, n
		}
	}
	return cols, ""
}

// addIndexConstraint adds a PRIMARY KEY, UNIQUE or EXCLUDE constraint with
// the index behind it. parent is the constraint of the partitioned table
// this one is cloned from, if any.
func (b *builder) addIndexConstraint(ns *namespace, t *Table, k *ddl.Constraint, parent *Key) (*Key, error) {
	if t.IsView() {
		return nil, b.errorAt(k.Pos, "%q is not a table", t.Name)
	}
	var cols []*Column
	name := k.Name
	if k.UsingIndex != "" {
		r := ns.rels[k.UsingIndex]
		if r == nil || r.kind != relIndex || r.index.table != t {
			return nil, b.errorAt(k.Pos, "index %q does not exist", k.UsingIndex)
		}
		ix := r.index
		if !ix.unique || ix.where != "" || slices.Contains(ix.columns, nil) {
			return nil, b.errorAt(k.Pos, "index %q is not a plain unique index", k.UsingIndex)
		}
		cols = ix.columns
		b.removeIndexKey(t, ix)
		delete(ns.rels, ix.name)
		t.indexes = slices.DeleteFunc(t.indexes, func(x *index) bool { return x == ix })
		if name == "" {
			name = ix.name
		}
	} else if k.Kind != ddl.ConstrExclusion {
		var missing string
		if cols, missing = t.columnsNamed(k.Columns); missing != "" {
			return nil, b.errorAt(k.Pos, "column %q named in key does not exist", missing)
		}
	}
	label := map[ddl.ConstraintKind]string{ddl.ConstrPrimaryKey: "pkey", ddl.ConstrUnique: "key", ddl.ConstrExclusion: "excl"}[k.Kind]
	if name == "" {
		addition := ""
		if k.Kind != ddl.ConstrPrimaryKey {
			addition = nameAddition(columnNames(cols))
		}
		name = chooseRelationName(ns, t.Name, addition, label, true)
	} else if ns.rels[name] != nil {
		return nil, b.errorAt(k.Pos, "relation %q already exists", name)
	}
	key := &Key{Name: name, Columns: cols, NullsNotDistinct: k.NullsNotDistinct, parent: parent}
	switch k.Kind {
	case ddl.ConstrPrimaryKey:
		if t.PrimaryKey != nil {
			return nil, b.errorAt(k.Pos, "multiple primary keys for table %q are not allowed", t.Name)
		}
		for _, c := range cols {
			c.NotNull = true
		}
		t.PrimaryKey = key
	case ddl.ConstrUnique:
		t.Unique = append(t.Unique, key)
	case ddl.ConstrExclusion:
		t.Exclusions = append(t.Exclusions, key)
	}
	ix := &index{name: name, table: t, unique: k.Kind != ddl.ConstrExclusion, columns: cols, constraint: true}
	t.indexes = append(t.indexes, ix)
	ns.rels[name] = &relation{kind: relIndex, index: ix}
	ns.constraints[name]++
	return key, nil
}

// addForeignKey adds a FOREIGN KEY constraint after checking what
// PostgreSQL checks: the referenced table, columns and a matching key.
func (b *builder) addForeignKey(ns *namespace, t *Table, k *ddl.Constraint, chosen map[string]bool) (*ForeignKey, error) {
	if t.IsView() {
		return nil, b.errorAt(k.Pos, "%q is not a table", t.Name)
	}
	cols, missing := t.columnsNamed(k.Columns)
	if missing != "" {
		return nil, b.errorAt(k.Pos, "column %q referenced in foreign key constraint does not exist", missing)
	}
	r := b.lookupRel(k.RefTable)
	if r == nil || r.kind != relTable {
		return nil, b.errorAt(k.Pos, "relation %q does not exist", relDisplay(k.RefTable))
	}
	ref := r.table
	if ref.IsView() {
		return nil, b.errorAt(k.Pos, "referenced relation %q is not a table", ref.Name)
	}
	var refCols []*Column
	if len(k.RefColumns) == 0 {
		if ref.PrimaryKey == nil {
			return nil, b.errorAt(k.Pos, "there is no primary key for referenced table %q", ref.Name)
		}
		refCols = ref.PrimaryKey.Columns
	} else {
		if refCols, missing = ref.columnsNamed(k.RefColumns); missing != "" {
			return nil, b.errorAt(k.Pos, "column %q referenced in foreign key constraint does not exist", missing)
		}
		if !ref.hasUniqueOn(refCols) {
			return nil, b.errorAt(k.Pos, "there is no unique constraint matching given keys for referenced table %q", ref.Name)
		}
	}
	if len(cols) != len(refCols) {
		return nil, b.errorAt(k.Pos, "number of referencing and referenced columns for foreign key disagree")
	}
	name := k.Name
	if name == "" {
		name = chooseConstraintName(ns, t.Name, nameAddition(columnNames(cols)), "fkey", chosen)
	} else if t.constraintNamed(name) {
		return nil, b.errorAt(k.Pos, "constraint %q for relation %q already exists", name, t.Name)
	}
	chosen[name] = true
	fk := &ForeignKey{Name: name, Columns: cols, Ref: ref, RefColumns: refCols, OnDelete: k.OnDelete, OnUpdate: k.OnUpdate, Match: k.Match}
	t.ForeignKeys = append(t.ForeignKeys, fk)
	ns.constraints[name]++
	return fk, nil
}

// hasUniqueOn reports whether a primary key or unique constraint or index
// (without predicate) covers exactly these columns, in any order.
func (t *Table) hasUniqueOn(cols []*Column) bool {
	same := func(k *Key) bool {
		if len(k.Columns) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(k.Columns, c) {
				return false
			}
		}
		return true
	}
	if t.PrimaryKey != nil && same(t.PrimaryKey) {
		return true
	}
	return slices.ContainsFunc(t.Unique, same)
}

// children returns the tables that inherit from t or are its partitions.
func (b *builder) children(t *Table) []*Table {
	var out []*Table
	for _, c := range b.cat.Tables {
		if c.PartitionOf == t || slices.Contains(c.Inherits, t) {
			out = append(out, c)
		}
	}
	return out
}

// partitions returns the partitions of t.
func (b *builder) partitions(t *Table) []*Table {
	var out []*Table
	for _, c := range b.cat.Tables {
		if c.PartitionOf == t {
			out = append(out, c)
		}
	}
	return out
}

// cloneToPartition gives a new or attached partition the parent's unique
// indexes and foreign keys, as PostgreSQL does.
func (b *builder) cloneToPartition(parent, part *Table) error {
	var ks []*ddl.Constraint
	if parent.PrimaryKey != nil {
		ks = append(ks, &ddl.Constraint{Kind: ddl.ConstrPrimaryKey, Columns: parent.PrimaryKey.ColumnNames()})
	}
	for _, u := range parent.Unique {
		ks = append(ks, &ddl.Constraint{Kind: ddl.ConstrUnique, Columns: u.ColumnNames(), NullsNotDistinct: u.NullsNotDistinct})
	}
	if err := b.cloneIndexes(parent, part, ks); err != nil {
		return err
	}
	for _, fk := range parent.ForeignKeys {
		b.cloneForeignKey(part, fk)
	}
	return nil
}

// cloneIndexes creates on a partition the unique constraints and indexes of
// its parent that it does not have yet.
func (b *builder) cloneIndexes(parent, part *Table, ks []*ddl.Constraint) error {
	ns := b.ns(part.Schema)
	for _, k := range ks {
		cols, missing := part.columnsNamed(k.Columns)
		if missing != "" || k.Kind == ddl.ConstrExclusion {
			continue
		}
		if k.Kind == ddl.ConstrPrimaryKey && part.PrimaryKey != nil || k.Kind == ddl.ConstrUnique && part.hasUniqueOn(cols) {
			continue
		}
		parentKey := parent.keyOn(k.Kind, k.Columns)
		if parentKey != nil && parentKey.Index {
			name := chooseRelationName(ns, part.Name, nameAddition(k.Columns), "idx", false)
			b.addUniqueIndex(ns, part, name, cols, parentKey.NullsNotDistinct, parentKey)
			continue
		}
		clone := *k
		clone.Name = ""
		if _, err := b.addIndexConstraint(ns, part, &clone, parentKey); err != nil {
			return err
		}
	}
	return nil
}

func (t *Table) keyOn(kind ddl.ConstraintKind, cols []string) *Key {
	match := func(k *Key) bool { return k != nil && slices.Equal(k.ColumnNames(), cols) }
	if kind == ddl.ConstrPrimaryKey && match(t.PrimaryKey) {
		return t.PrimaryKey
	}
	for _, k := range t.Unique {
		if match(k) {
			return k
		}
	}
	return nil
}

// cloneForeignKey copies a partitioned table's foreign key to a partition,
// keeping its name unless the partition already uses it.
func (b *builder) cloneForeignKey(part *Table, fk *ForeignKey) {
	for _, ex := range part.ForeignKeys {
		if ex.parent == fk || ex.Ref == fk.Ref && slices.Equal(columnNames(ex.Columns), columnNames(fk.Columns)) &&
			slices.Equal(columnNames(ex.RefColumns), columnNames(fk.RefColumns)) {
			return
		}
	}
	cols, missing := part.columnsNamed(columnNames(fk.Columns))
	if missing != "" {
		return
	}
	ns := b.ns(part.Schema)
	name := fk.Name
	if part.constraintNamed(name) {
		name = chooseConstraintName(ns, part.Name, nameAddition(columnNames(cols)), "fkey", nil)
	}
	clone := *fk
	clone.Name, clone.Columns, clone.parent = name, cols, fk
	part.ForeignKeys = append(part.ForeignKeys, &clone)
	ns.constraints[name]++
	for _, sub := range b.partitions(part) {
		b.cloneForeignKey(sub, &clone)
	}
}

// addUniqueIndex records a unique index without predicate or expressions,
// which counts as a unique key.
func (b *builder) addUniqueIndex(ns *namespace, t *Table, name string, cols []*Column, nullsNotDistinct bool, parent *Key) *index {
	ix := &index{name: name, table: t, unique: true, columns: cols}
	t.indexes = append(t.indexes, ix)
	ns.rels[name] = &relation{kind: relIndex, index: ix}
	t.Unique = append(t.Unique, &Key{Name: name, Columns: cols, Index: true, NullsNotDistinct: nullsNotDistinct, parent: parent})
	return ix
}

// removeIndexKey removes the unique key an index stands for.
func (b *builder) removeIndexKey(t *Table, ix *index) {
	t.Unique = slices.DeleteFunc(t.Unique, func(k *Key) bool { return k.Index && k.Name == ix.name })
	t.UniquePartial = slices.DeleteFunc(t.UniquePartial, func(k *PartialUnique) bool { return k.Name == ix.name })
}
