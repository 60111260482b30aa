package schema

import (
	"slices"

	"github.com/crudgen/crudgen/generator/ddl"
)

func (b *builder) alterTable(s *ddl.AlterTable) error {
	r := b.lookupRel(s.Name)
	if r == nil {
		if s.IfExists {
			b.note("relation %q does not exist, skipping", relDisplay(s.Name))
			return nil
		}
		return b.errorf("relation %q does not exist", relDisplay(s.Name))
	}
	if r.kind != relTable {
		// Sequences, indexes, composite types and foreign tables only take
		// commands that do not shape data here (owner, attach, options).
		b.skip("ALTER " + upperObject(s.Object))
		return nil
	}
	t := r.table
	for _, cmd := range s.Cmds {
		if err := b.alterCmd(t, cmd, s.Only); err != nil {
			return err
		}
	}
	return nil
}

func upperObject(o string) string {
	out := []byte(o)
	for i, c := range out {
		switch {
		case c == '_':
			out[i] = ' '
		case c >= 'a' && c <= 'z':
			out[i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

func (b *builder) alterCmd(t *Table, cmd *ddl.AlterCmd, only bool) error {
	ns := b.ns(t.Schema)
	if t.IsView() {
		switch cmd.Kind {
		case ddl.AlterOther, ddl.SetDefault, ddl.DropDefault:
		default:
			return b.errorAt(cmd.Pos, "%q is not a table", t.Name)
		}
	}
	column := func() (*Column, error) {
		c := t.Column(cmd.Column)
		if c == nil {
			return nil, b.errorAt(cmd.Pos, "column %q of relation %q does not exist", cmd.Column, t.Name)
		}
		return c, nil
	}
	// each applies f to the column in t and, unless ONLY, in its children.
	each := func(f func(*Table, *Column) error) error {
		c, err := column()
		if err != nil {
			return err
		}
		if err := f(t, c); err != nil {
			return err
		}
		if only && t.Kind != KindPartitionedTable {
			return nil
		}
		return b.eachDescendant(t, func(child *Table) error {
			if cc := child.Column(cmd.Column); cc != nil {
				return f(child, cc)
			}
			return nil
		})
	}
	switch cmd.Kind {
	case ddl.AddColumn:
		if t.Column(cmd.ColumnDef.Name) != nil && cmd.IfExists {
			b.note("column %q of relation %q already exists, skipping", cmd.ColumnDef.Name, t.Name)
			return nil
		}
		p := &pending{}
		if err := b.addColumnDef(ns, t, cmd.ColumnDef, p, false); err != nil {
			return err
		}
		if err := b.eachDescendant(t, func(child *Table) error {
			return b.inheritColumn(child, t.Column(cmd.ColumnDef.Name))
		}); err != nil {
			return err
		}
		return b.applyPending(ns, t, p, !only)
	case ddl.DropColumn:
		c := t.Column(cmd.Column)
		if c == nil {
			if cmd.IfExists {
				b.note("column %q of relation %q does not exist, skipping", cmd.Column, t.Name)
				return nil
			}
			return b.errorAt(cmd.Pos, "column %q of relation %q does not exist", cmd.Column, t.Name)
		}
		if c.inherited > 0 {
			return b.errorAt(cmd.Pos, "cannot drop inherited column %q", cmd.Column)
		}
		return b.dropColumn(t, c, cmd.Cascade)
	case ddl.AlterColumnType:
		typ, err := b.resolveType(cmd.Type)
		if err != nil {
			return err
		}
		return each(func(_ *Table, c *Column) error { c.Type = typ; return nil })
	case ddl.SetNotNull:
		return each(func(_ *Table, c *Column) error { c.NotNull = true; return nil })
	case ddl.DropNotNull:
		return each(func(tt *Table, c *Column) error {
			if tt.PrimaryKey != nil && slices.Contains(tt.PrimaryKey.Columns, c) {
				return b.errorAt(cmd.Pos, "column %q is in a primary key", c.Name)
			}
			if c.Identity != "" {
				return b.errorAt(cmd.Pos, "column %q of relation %q is an identity column", c.Name, tt.Name)
			}
			c.NotNull = false
			return nil
		})
	case ddl.SetDefault:
		return each(func(tt *Table, c *Column) error {
			if c.Identity != "" {
				return b.errorAt(cmd.Pos, "column %q of relation %q is an identity column", c.Name, tt.Name)
			}
			c.Default = cmd.Expr
			return nil
		})
	case ddl.DropDefault:
		return each(func(_ *Table, c *Column) error { c.Default = nil; return nil })
	case ddl.AddConstraint:
		p := &pending{}
		p.add(cmd.Constraint, "")
		return b.applyPending(ns, t, p, !only)
	case ddl.DropConstraint:
		return b.dropConstraint(t, cmd)
	case ddl.AddIdentity:
		c, err := column()
		if err != nil {
			return err
		}
		if !c.NotNull {
			return b.errorAt(cmd.Pos, "column %q of relation %q must be declared NOT NULL before identity can be added", c.Name, t.Name)
		}
		if c.Identity != "" {
			return b.errorAt(cmd.Pos, "column %q of relation %q is already an identity column", c.Name, t.Name)
		}
		if c.Default != nil {
			return b.errorAt(cmd.Pos, "column %q of relation %q already has a default value", c.Name, t.Name)
		}
		c.Identity = cmd.Constraint.When
		b.ownedSequence(ns, t, c, "").ForIdentityOf = c
	case ddl.SetIdentity:
		c, err := column()
		if err != nil {
			return err
		}
		if c.Identity == "" {
			return b.errorAt(cmd.Pos, "column %q of relation %q is not an identity column", c.Name, t.Name)
		}
		c.Identity = cmd.Constraint.When
	case ddl.DropIdentity:
		c, err := column()
		if err != nil {
			return err
		}
		if c.Identity == "" {
			if cmd.IfExists {
				return nil
			}
			return b.errorAt(cmd.Pos, "column %q of relation %q is not an identity column", c.Name, t.Name)
		}
		c.Identity = ""
		b.dropOwnedSequences(t, c)
	case ddl.DropExpression:
		return each(func(_ *Table, c *Column) error { c.Generated, c.GeneratedExpr = "", nil; return nil })
	case ddl.AttachPartition:
		part, err := b.table(cmd.Table)
		if err != nil {
			return err
		}
		if t.Kind != KindPartitionedTable {
			return b.errorf("table %q is not partitioned", t.Name)
		}
		if part.PartitionOf != nil {
			return b.errorf("%q is already a partition", part.Name)
		}
		if err := b.attachChild(t, part); err != nil {
			return err
		}
		part.PartitionOf = t
		return b.cloneToPartition(t, part)
	case ddl.DetachPartition:
		part, err := b.table(cmd.Table)
		if err != nil {
			return err
		}
		if part.PartitionOf != t {
			return b.errorf("relation %q is not a partition of relation %q", part.Name, t.Name)
		}
		part.PartitionOf = nil
		b.detachChild(part)
	case ddl.AddInherit:
		parent, err := b.table(cmd.Table)
		if err != nil {
			return err
		}
		if slices.Contains(t.Inherits, parent) {
			return b.errorf("relation %q would be inherited from more than once", parent.Name)
		}
		if err := b.attachChild(parent, t); err != nil {
			return err
		}
		t.Inherits = append(t.Inherits, parent)
	case ddl.DropInherit:
		parent, err := b.table(cmd.Table)
		if err != nil {
			return err
		}
		if !slices.Contains(t.Inherits, parent) {
			return b.errorf("relation %q is not a parent of relation %q", parent.Name, t.Name)
		}
		t.Inherits = slices.DeleteFunc(t.Inherits, func(x *Table) bool { return x == parent })
		for _, pc := range parent.Columns {
			if c := t.Column(pc.Name); c != nil && c.inherited > 0 {
				c.inherited--
				c.local = true
			}
		}
	}
	return nil
}

// eachDescendant calls f for every inheritance child and partition of t,
// depth first.
func (b *builder) eachDescendant(t *Table, f func(*Table) error) error {
	for _, c := range b.children(t) {
		if err := f(c); err != nil {
			return err
		}
		if err := b.eachDescendant(c, f); err != nil {
			return err
		}
	}
	return nil
}

// inheritColumn adds a parent's new column to a child, or merges it.
func (b *builder) inheritColumn(child *Table, pc *Column) error {
	if c := child.Column(pc.Name); c != nil {
		if c.Type.String() != pc.Type.String() {
			return b.errorf("child table %q has different type for column %q", child.Name, pc.Name)
		}
		c.inherited++
		return nil
	}
	child.Columns = append(child.Columns, &Column{
		Name: pc.Name, Type: pc.Type, NotNull: pc.NotNull, Default: pc.Default,
		Generated: pc.Generated, GeneratedExpr: pc.GeneratedExpr, Collation: pc.Collation, inherited: 1,
	})
	return nil
}

// attachChild makes an existing table a child of parent: it must have the
// parent's columns, which become inherited, and gets its checks.
func (b *builder) attachChild(parent, child *Table) error {
	for _, pc := range parent.Columns {
		c := child.Column(pc.Name)
		if c == nil {
			return b.errorf("child table is missing column %q", pc.Name)
		}
		if c.Type.String() != pc.Type.String() {
			return b.errorf("child table %q has different type for column %q", child.Name, pc.Name)
		}
		if pc.NotNull && !c.NotNull {
			return b.errorf("column %q in child table must be marked NOT NULL", pc.Name)
		}
	}
	for _, k := range parent.Checks {
		if !k.NoInherit && child.check(k.Name) == nil {
			return b.errorf("child table is missing constraint %q", k.Name)
		}
	}
	for _, pc := range parent.Columns {
		child.Column(pc.Name).inherited++
	}
	return nil
}

// detachChild makes a former partition's inherited columns its own.
func (b *builder) detachChild(t *Table) {
	for _, c := range t.Columns {
		if c.inherited > 0 {
			c.inherited--
			c.local = true
		}
	}
	for _, k := range t.Unique {
		k.parent = nil
	}
	if t.PrimaryKey != nil {
		t.PrimaryKey.parent = nil
	}
	for _, fk := range t.ForeignKeys {
		fk.parent = nil
	}
}

// dropColumn removes a column with what depends on it inside the table and,
// for inherited copies no child declared itself, from the children.
func (b *builder) dropColumn(t *Table, c *Column, cascade bool) error {
	for _, other := range b.cat.Tables {
		if other == t {
			continue
		}
		for _, fk := range other.ForeignKeys {
			if fk.Ref == t && slices.Contains(fk.RefColumns, c) {
				if !cascade {
					return b.errorf("cannot drop column %s of table %s because constraint %s on table %s depends on it", c.Name, t.Name, fk.Name, other.Name)
				}
			}
		}
	}
	for _, other := range b.cat.Tables {
		other.ForeignKeys = slices.DeleteFunc(other.ForeignKeys, func(fk *ForeignKey) bool {
			drop := fk.Ref == t && slices.Contains(fk.RefColumns, c)
			if drop {
				b.ns(other.Schema).constraints[fk.Name]--
			}
			return drop
		})
	}
	ns := b.ns(t.Schema)
	if t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c) {
		b.removeKeyIndex(t, t.PrimaryKey.Name)
		t.PrimaryKey = nil
	}
	has := func(k *Key) bool {
		if slices.Contains(k.Columns, c) {
			b.removeKeyIndex(t, k.Name)
			return true
		}
		return false
	}
	t.Unique = slices.DeleteFunc(t.Unique, has)
	t.Exclusions = slices.DeleteFunc(t.Exclusions, has)
	for _, ix := range slices.Clone(t.indexes) {
		if slices.Contains(ix.columns, c) {
			b.removeIndexKey(t, ix)
			b.removeKeyIndex(t, ix.name)
		}
	}
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *ForeignKey) bool {
		if slices.Contains(fk.Columns, c) {
			ns.constraints[fk.Name]--
			return true
		}
		return false
	})
	t.Checks = slices.DeleteFunc(t.Checks, func(k *Check) bool {
		if exprUsesColumn(k.Expr, c.Name) {
			ns.constraints[k.Name]--
			return true
		}
		return false
	})
	b.dropOwnedSequences(t, c)
	t.Columns = slices.DeleteFunc(t.Columns, func(x *Column) bool { return x == c })
	for _, child := range b.children(t) {
		if cc := child.Column(c.Name); cc != nil {
			cc.inherited--
			if cc.inherited <= 0 && !cc.local {
				cc.inherited = 0
				if err := b.dropColumn(child, cc, cascade); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// removeKeyIndex forgets the index (and constraint name) named name.
func (b *builder) removeKeyIndex(t *Table, name string) {
	ns := b.ns(t.Schema)
	if r := ns.rels[name]; r != nil && r.kind == relIndex && r.index.table == t {
		if r.index.constraint {
			ns.constraints[name]--
		}
		delete(ns.rels, name)
	}
	t.indexes = slices.DeleteFunc(t.indexes, func(ix *index) bool { return ix.name == name })
}

func (b *builder) dropOwnedSequences(t *Table, c *Column) {
	b.cat.Sequences = slices.DeleteFunc(b.cat.Sequences, func(s *Sequence) bool {
		if s.OwnedBy == c && s.OwnedByTable == t {
			delete(b.ns(s.Schema).rels, s.Name)
			return true
		}
		return false
	})
}

func exprUsesColumn(e *ddl.Expr, name string) bool {
	if e == nil {
		return false
	}
	if e.Kind == ddl.ExprColumn && len(e.Names) > 0 && e.Names[len(e.Names)-1] == name {
		return true
	}
	for _, a := range e.Args {
		if exprUsesColumn(a, name) {
			return true
		}
	}
	return false
}

func (b *builder) dropConstraint(t *Table, cmd *ddl.AlterCmd) error {
	name := cmd.Name
	ns := b.ns(t.Schema)
	found := false
	if t.PrimaryKey != nil && t.PrimaryKey.Name == name {
		b.removeKeyIndex(t, name)
		t.PrimaryKey = nil
		found = true
	}
	dropKey := func(k *Key) bool {
		if !k.Index && k.Name == name {
			b.removeKeyIndex(t, name)
			found = true
			return true
		}
		return false
	}
	t.Unique = slices.DeleteFunc(t.Unique, dropKey)
	t.Exclusions = slices.DeleteFunc(t.Exclusions, dropKey)
	var droppedFK *ForeignKey
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *ForeignKey) bool {
		if fk.Name == name {
			ns.constraints[name]--
			found = true
			droppedFK = fk
			return true
		}
		return false
	})
	droppedCheck := false
	t.Checks = slices.DeleteFunc(t.Checks, func(k *Check) bool {
		if k.Name == name {
			ns.constraints[name]--
			found, droppedCheck = true, true
			return true
		}
		return false
	})
	if !found {
		if cmd.IfExists {
			b.note("constraint %q of relation %q does not exist, skipping", name, t.Name)
			return nil
		}
		return b.errorAt(cmd.Pos, "constraint %q of relation %q does not exist", name, t.Name)
	}
	// Constraints the children got from this one go with it.
	return b.eachDescendant(t, func(child *Table) error {
		cns := b.ns(child.Schema)
		if droppedCheck {
			child.Checks = slices.DeleteFunc(child.Checks, func(k *Check) bool {
				if k.Name == name {
					cns.constraints[name]--
					return true
				}
				return false
			})
		}
		if droppedFK != nil {
			child.ForeignKeys = slices.DeleteFunc(child.ForeignKeys, func(fk *ForeignKey) bool {
				if fk.parent != nil && (fk.parent == droppedFK || fk.parent.Name == name) {
					cns.constraints[fk.Name]--
					return true
				}
				return false
			})
		}
		return nil
	})
}
