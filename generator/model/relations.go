package model

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/runtime"
)

// Relation is a resource linked to another by a foreign key, which
// include= embeds in list responses: the parent a row points at
// (many-to-one) or the children pointing at it (one-to-many).
type Relation struct {
	Name   string
	Many   bool
	Target *Resource
	// From are the columns of the row's own table the join compares with
	// To, the target's columns.
	From, To []*Field
	// nested is the child list a one-to-many relation serves under the
	// parent's item route, which takes the relation's name; or nil.
	nested *Nested
}

// Nested is a child list served under its parent's item route:
// /authors/{id}/posts lists the posts of one author.
type Nested struct {
	Parent *Resource
	Name   string // the relation's name, the route's last segment
	Method string // the child handler's method: listUnderAuthor
	Route  string // relative to the parent's path: /{id}/posts
	Path   string // the OpenAPI path
	// FK are the child's columns in the order of the parent's key.
	FK          []*Field
	OperationID string
}

// relations links the resources by the foreign keys between them.
func (b *builder) relations() error {
	byTable := map[*schema.Table]*Resource{}
	for _, r := range b.pkg.Resources {
		byTable[r.Table] = r
	}
	for _, child := range b.pkg.Resources {
		refs := map[*schema.Table]int{}
		for _, fk := range child.Table.ForeignKeys {
			refs[fk.Ref]++
		}
		for _, fk := range child.Table.ForeignKeys {
			parent := byTable[fk.Ref]
			if parent == nil {
				continue
			}
			from, to := fieldsOf(child, fk.Columns), fieldsOf(parent, fk.RefColumns)
			if from == nil || to == nil {
				continue
			}
			child.Relations = append(child.Relations, &Relation{Name: manyToOneName(fk), Target: parent, From: from, To: to})
			many := &Relation{Name: oneToManyName(child, fk, refs[fk.Ref]), Many: true, Target: child, From: to, To: from}
			parent.Relations = append(parent.Relations, many)
			if fkOnKey := keyOrder(parent, to, from); fkOnKey != nil {
				many.nested = &Nested{Parent: parent, FK: fkOnKey, Name: many.Name}
				child.Nested = append(child.Nested, many.nested)
			}
		}
	}
	used := map[string]bool{}
	for _, r := range b.pkg.Resources {
		r.nameRelations()
		r.renameRelations(b.opts.Relations, used)
		if err := r.checkRelationNames(); err != nil {
			return err
		}
	}
	var unknown []string
	for key := range b.opts.Relations {
		if !used[key] {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("relations: %s names no relation; a key is table.relation as include= spells it (schema.table.relation outside public)", strings.Join(unknown, ", "))
	}
	for _, child := range b.pkg.Resources {
		methods := newNamer("list", "create", "get", "update", "patch", "delete", "key", "fail", "Routes")
		for _, n := range child.Nested {
			n.Method = methods.unique("listUnder" + n.Parent.GoName)
			n.Route = n.Parent.itemRoute() + "/" + n.Name
			n.Path = n.Parent.Path + n.Route
			n.OperationID = apiName("list" + n.Parent.GoName + exported(n.Name))
		}
	}
	if !b.pkg.Engine.Embeds {
		// The engine's lists read no related rows: the relations remain
		// as nested routes only.
		for _, r := range b.pkg.Resources {
			r.Relations = nil
		}
	}
	return nil
}

// renameRelations applies the configuration's names, keyed by the table
// and the name crudgen would give.
func (r *Resource) renameRelations(names map[string]string, used map[string]bool) {
	table := r.Table.Name
	if r.Table.Schema != r.Engine.DefaultSchema {
		table = r.Table.Schema + "." + table
	}
	for _, rel := range r.Relations {
		key := table + "." + rel.Name
		name, ok := names[key]
		if !ok {
			continue
		}
		used[key] = true
		rel.rename(name)
	}
}

// fieldsOf returns the fields of columns, or nil when one is not a field
// a row shows (joins and nested routes filter on them).
func fieldsOf(r *Resource, cols []*schema.Column) []*Field {
	out := make([]*Field, len(cols))
	for i, c := range cols {
		if out[i] = r.field(c); out[i] == nil || out[i].WriteOnly {
			return nil
		}
	}
	return out
}

// keyOrder returns the child's columns in the order of the parent's key
// when the foreign key references exactly that key, else nil.
func keyOrder(parent *Resource, to, from []*Field) []*Field {
	if len(parent.Key) == 0 || len(parent.Key) != len(to) {
		return nil
	}
	out := make([]*Field, len(to))
	for i, k := range parent.Key {
		for j, f := range to {
			if f == k {
				out[i] = from[j]
			}
		}
		if out[i] == nil {
			return nil
		}
	}
	return out
}

// manyToOneName names a parent after the foreign key column without its
// _id suffix (author_id: author), else after the referenced table.
func manyToOneName(fk *schema.ForeignKey) string {
	if len(fk.Columns) == 1 {
		if n, ok := strings.CutSuffix(fk.Columns[0].Name, "_id"); ok && n != "" {
			return n
		}
	}
	return fk.Ref.Name
}

// oneToManyName names children after their route (posts), qualified by the
// foreign key column when the child has several (refs) keys to the same
// parent.
func oneToManyName(child *Resource, fk *schema.ForeignKey, refs int) string {
	name := path.Base(child.Path)
	if refs > 1 {
		cols := make([]string, len(fk.Columns))
		for i, c := range fk.Columns {
			cols[i] = strings.TrimSuffix(c.Name, "_id")
		}
		name += "_by_" + strings.Join(cols, "_")
	}
	return name
}

// nameRelations makes relation names unique and distinct from the row's
// fields (they share its JSON object) and the list's parameters. A name
// holding a comma, which include= cannot carry, drops the relation.
func (r *Resource) nameRelations() {
	taken := map[string]bool{}
	for _, f := range r.Fields {
		taken[f.JSON] = true
	}
	var kept []*Relation
	next := map[string]int{} // the suffix to try next: taken only grows
	for _, rel := range r.Relations {
		if strings.ContainsAny(rel.Name, ",") {
			continue
		}
		name := rel.Name
		i := max(next[rel.Name], 2)
		for ; taken[name] || runtime.ReservedParam(name); i++ {
			name = fmt.Sprintf("%s_%d", rel.Name, i)
		}
		next[rel.Name] = i
		taken[name] = true
		rel.rename(name)
		kept = append(kept, rel)
	}
	r.Relations = kept
}

// rename names the relation and the child list it serves, whose route
// ends in the name.
func (rel *Relation) rename(name string) {
	if rel.nested != nil {
		rel.nested.Name = name
	}
	rel.Name = name
}

// checkRelationNames refuses renamed relations that clash with a field, a
// list parameter or each other.
func (r *Resource) checkRelationNames() error {
	taken := map[string]string{}
	for _, f := range r.Fields {
		taken[f.JSON] = "a column"
	}
	for _, rel := range r.Relations {
		if what, ok := taken[rel.Name]; ok || runtime.ReservedParam(rel.Name) {
			if !ok {
				what = "a list parameter"
			}
			return fmt.Errorf("relations: %s has %s named %s already", r.Table.QualifiedName(), what, rel.Name)
		}
		taken[rel.Name] = "a relation"
	}
	return nil
}

// itemRoute is the route of one row relative to the collection: /{id}.
func (r *Resource) itemRoute() string {
	route := ""
	for _, k := range r.Key {
		route += "/{" + k.PathParam + "}"
	}
	return route
}

// recordList is the ROW(...) of the resource's columns read from the
// table aliased as alias. Inside a record every value travels in binary
// with its own type, so domains are cast to their base types, which pgx
// knows.
func (r *Resource) recordList(alias string) string {
	out := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		col := alias + "." + f.Quoted
		switch {
		case f.Type.Select != "":
			out[i] = fmt.Sprintf(f.Type.Select, col)
		case f.Type.Param != "":
			out[i] = col + f.Type.Param
		default:
			out[i] = col
		}
	}
	return "ROW(" + strings.Join(out, ", ") + ")"
}

// SQL is the expression that reads the relation for the current row of
// owner's table: a record of the parent, or an array of records of the
// children in their key order with %s for the bound of include_limit; on
// engines without records (Engine.JSONEmbeds), the same as JSON arrays of
// the columns' values.
func (rel *Relation) SQL(owner *Resource) string {
	if owner.Engine.JSONEmbeds {
		return rel.jsonSQL(owner)
	}
	const alias = "rel"
	var conds []string
	for i, f := range rel.To {
		conds = append(conds, alias+"."+f.Quoted+" = "+owner.SQLTable+"."+rel.From[i].Quoted)
	}
	from := " FROM " + rel.Target.SQLTable + " AS " + alias + " WHERE " + strings.Join(conds, " AND ")
	if !rel.Many {
		return "(SELECT " + rel.Target.recordList(alias) + from + ")"
	}
	order := ""
	if len(rel.Target.Key) > 0 {
		var keys []string
		for _, k := range rel.Target.Key {
			keys = append(keys, alias+"."+k.Quoted)
		}
		order = " ORDER BY " + strings.Join(keys, ", ")
	}
	return "ARRAY(SELECT " + rel.Target.recordList(alias) + from + order + " LIMIT %s)"
}

// jsonSQL is SQL for engines that read relations as JSON: a parent's
// values as a JSON array, or NULL; the children's as a JSON array of such
// arrays, in their key order, with %s for the bound of include_limit.
// Blobs, which JSON cannot hold, travel as hex.
func (rel *Relation) jsonSQL(owner *Resource) string {
	const alias = "rel"
	var conds []string
	for i, f := range rel.To {
		conds = append(conds, alias+"."+f.Quoted+" = "+owner.SQLTable+"."+rel.From[i].Quoted)
	}
	values := make([]string, len(rel.Target.Fields))
	for i, f := range rel.Target.Fields {
		values[i] = alias + "." + f.Quoted
		if f.Type.Name == "[]byte" {
			values[i] = "hex(" + values[i] + ")"
		}
	}
	row := "json_array(" + strings.Join(values, ", ") + ")"
	from := " FROM " + rel.Target.SQLTable + " AS " + alias + " WHERE " + strings.Join(conds, " AND ")
	if !rel.Many {
		return "(SELECT " + row + from + ")"
	}
	order := ""
	if len(rel.Target.Key) > 0 {
		var keys []string
		for _, k := range rel.Target.Key {
			keys = append(keys, alias+"."+k.Quoted)
		}
		order = " ORDER BY " + strings.Join(keys, ", ")
	}
	return "(SELECT json_group_array(json(rec)) FROM (SELECT " + row + " AS rec" + from + order + " LIMIT %s))"
}

// Embed is the runtime function that reads and writes the relation.
func (rel *Relation) Embed() string {
	pkg := rel.Target.Engine.EmbedPackage
	if rel.Many {
		return pkg + ".EmbedMany[" + rel.Target.GoName + "]"
	}
	return pkg + ".EmbedOne[" + rel.Target.GoName + "]"
}

// RelationNames lists the names include= accepts.
func (r *Resource) RelationNames() []string {
	out := make([]string, len(r.Relations))
	for i, rel := range r.Relations {
		out[i] = rel.Name
	}
	return out
}

// ParentKeyParams declares the parent's key as Go parameters of a nested
// list: id int64.
func (n *Nested) ParentKeyParams() string { return n.Parent.KeyParams() }

// ParentKeyArgs passes them on.
func (n *Nested) ParentKeyArgs() string { return n.Parent.KeyArgs() }

// ExistsSQL tells whether the parent row exists.
func (n *Nested) ExistsSQL() string {
	cols := " 1"
	if n.Parent.Engine.EmptySelect {
		cols = ""
	}
	return "SELECT EXISTS (SELECT" + cols + " FROM " + n.Parent.SQLTable + " WHERE " + n.Parent.KeyWhere(1) + ")"
}
