package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
)

// The JSON form of a catalog is what `crudgen inspect --format json`
// prints. Its shape is documented in the README; every key is always
// present so consumers need no existence checks.

type jsonCatalog struct {
	Schemas    []jsonSchema    `json:"schemas"`
	Tables     []jsonTable     `json:"tables"`
	Enums      []jsonEnum      `json:"enums"`
	Domains    []jsonDomain    `json:"domains"`
	Composites []jsonComposite `json:"composite_types"`
}

type jsonSchema struct {
	Name    string `json:"name"`
	Comment string `json:"comment"`
}

type jsonTable struct {
	Schema        string           `json:"schema"`
	Name          string           `json:"name"`
	Kind          TableKind        `json:"kind"`
	Comment       string           `json:"comment"`
	PartitionOf   string           `json:"partition_of"`
	Inherits      []string         `json:"inherits"`
	Columns       []jsonColumn     `json:"columns"`
	PrimaryKey    []string         `json:"primary_key"`
	Unique        [][]string       `json:"unique"`
	UniquePartial []jsonPartial    `json:"unique_partial"`
	ForeignKeys   []jsonForeignKey `json:"foreign_keys"`
	Checks        []jsonCheck      `json:"checks"`
}

type jsonColumn struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	NotNull    bool   `json:"not_null"`
	Default    string `json:"default"`
	Identity   string `json:"identity"`
	Generated  string `json:"generated"`
	Expression string `json:"generation_expression"`
	Comment    string `json:"comment"`
}

type jsonPartial struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Where   string   `json:"where"`
}

type jsonForeignKey struct {
	Name       string   `json:"name"`
	Columns    []string `json:"columns"`
	RefSchema  string   `json:"ref_schema"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	OnDelete   string   `json:"on_delete"`
	OnUpdate   string   `json:"on_update"`
}

type jsonCheck struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

type jsonEnum struct {
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Values  []string `json:"values"`
	Comment string   `json:"comment"`
}

type jsonDomain struct {
	Schema  string      `json:"schema"`
	Name    string      `json:"name"`
	Type    string      `json:"type"`
	NotNull bool        `json:"not_null"`
	Default string      `json:"default"`
	Checks  []jsonCheck `json:"checks"`
	Comment string      `json:"comment"`
}

type jsonComposite struct {
	Schema  string       `json:"schema"`
	Name    string       `json:"name"`
	Columns []jsonColumn `json:"columns"`
	Comment string       `json:"comment"`
}

func (c *Catalog) toJSON() jsonCatalog {
	out := jsonCatalog{
		Schemas: []jsonSchema{}, Tables: []jsonTable{}, Enums: []jsonEnum{},
		Domains: []jsonDomain{}, Composites: []jsonComposite{},
	}
	for _, s := range c.Schemas {
		out.Schemas = append(out.Schemas, jsonSchema{Name: s.Name, Comment: s.Comment})
	}
	for _, t := range c.Tables {
		jt := jsonTable{
			Schema: t.Schema, Name: t.Name, Kind: t.Kind, Comment: t.Comment,
			Inherits: []string{}, Columns: []jsonColumn{}, PrimaryKey: []string{}, Unique: [][]string{},
			UniquePartial: []jsonPartial{}, ForeignKeys: []jsonForeignKey{}, Checks: []jsonCheck{},
		}
		if t.PartitionOf != nil {
			jt.PartitionOf = t.PartitionOf.Schema + "." + t.PartitionOf.Name
		}
		for _, p := range t.Inherits {
			jt.Inherits = append(jt.Inherits, p.Schema+"."+p.Name)
		}
		for _, col := range t.Columns {
			jt.Columns = append(jt.Columns, jsonCol(col))
		}
		if t.PrimaryKey != nil {
			jt.PrimaryKey = t.PrimaryKey.ColumnNames()
		}
		for _, k := range t.Unique {
			jt.Unique = append(jt.Unique, k.ColumnNames())
		}
		for _, k := range t.UniquePartial {
			jt.UniquePartial = append(jt.UniquePartial, jsonPartial{Name: k.Name, Columns: k.Columns, Where: k.Where})
		}
		for _, fk := range t.ForeignKeys {
			jt.ForeignKeys = append(jt.ForeignKeys, jsonForeignKey{
				Name: fk.Name, Columns: columnNames(fk.Columns), RefSchema: fk.Ref.Schema, RefTable: fk.Ref.Name,
				RefColumns: columnNames(fk.RefColumns), OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate,
			})
		}
		for _, k := range t.Checks {
			jt.Checks = append(jt.Checks, jsonCheck{Name: k.Name, Expr: k.Expr.Text})
		}
		out.Tables = append(out.Tables, jt)
	}
	for _, e := range c.Enums {
		out.Enums = append(out.Enums, jsonEnum{Schema: e.Schema, Name: e.Name, Values: e.Values, Comment: e.Comment})
	}
	for _, d := range c.Domains {
		jd := jsonDomain{Schema: d.Schema, Name: d.Name, Type: d.Type.String(), NotNull: d.NotNull, Checks: []jsonCheck{}, Comment: d.Comment}
		if d.Default != nil {
			jd.Default = d.Default.Text
		}
		for _, k := range d.Checks {
			jd.Checks = append(jd.Checks, jsonCheck{Name: k.Name, Expr: k.Expr.Text})
		}
		out.Domains = append(out.Domains, jd)
	}
	for _, ct := range c.Composites {
		jc := jsonComposite{Schema: ct.Schema, Name: ct.Name, Columns: []jsonColumn{}, Comment: ct.Comment}
		for _, col := range ct.Columns {
			jc.Columns = append(jc.Columns, jsonCol(col))
		}
		out.Composites = append(out.Composites, jc)
	}
	return out
}

func jsonCol(c *Column) jsonColumn {
	jc := jsonColumn{Name: c.Name, Type: c.Type.String(), NotNull: c.NotNull, Default: c.DefaultText(),
		Identity: c.Identity, Generated: c.Generated, Comment: c.Comment}
	if c.GeneratedExpr != nil {
		jc.Expression = c.GeneratedExpr.Text
	}
	return jc
}

// WriteJSON writes the catalog as indented JSON.
func (c *Catalog) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c.toJSON()); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteText writes the catalog in a compact, SQL-like form for people.
func (c *Catalog) WriteText(w io.Writer) error {
	var b strings.Builder
	for i, t := range c.Tables {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeTable(&b, t)
	}
	for _, e := range c.Enums {
		fmt.Fprintf(&b, "\nenum %s.%s (%s)", qident(e.Schema), qident(e.Name), strings.Join(quoteAll(e.Values), ", "))
		writeComment(&b, e.Comment)
		b.WriteByte('\n')
	}
	for _, d := range c.Domains {
		fmt.Fprintf(&b, "\ndomain %s.%s %s", qident(d.Schema), qident(d.Name), d.Type)
		if d.NotNull {
			b.WriteString(" not null")
		}
		if d.Default != nil {
			fmt.Fprintf(&b, " default %s", d.Default.Text)
		}
		for _, k := range d.Checks {
			fmt.Fprintf(&b, " constraint %s check (%s)", qident(k.Name), k.Expr.Text)
		}
		writeComment(&b, d.Comment)
		b.WriteByte('\n')
	}
	for _, ct := range c.Composites {
		fmt.Fprintf(&b, "\ntype %s.%s as (", qident(ct.Schema), qident(ct.Name))
		for i, col := range ct.Columns {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %s", qident(col.Name), col.Type)
		}
		b.WriteString(")\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// constraintName is "constraint name " before a constraint, or nothing
// for one without a name (SQLite's).
func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "constraint " + qident(name) + " "
}

func writeTable(b *strings.Builder, t *Table) {
	fmt.Fprintf(b, "%s %s", strings.ReplaceAll(string(t.Kind), "_", " "), t.QualifiedName())
	if t.PartitionOf != nil {
		fmt.Fprintf(b, " partition of %s", t.PartitionOf.QualifiedName())
	}
	if len(t.Inherits) > 0 {
		names := make([]string, len(t.Inherits))
		for i, p := range t.Inherits {
			names[i] = p.QualifiedName()
		}
		fmt.Fprintf(b, " inherits (%s)", strings.Join(names, ", "))
	}
	writeComment(b, t.Comment)
	b.WriteByte('\n')
	width := 0
	for _, col := range t.Columns {
		width = max(width, len(qident(col.Name)))
	}
	for _, col := range t.Columns {
		fmt.Fprintf(b, "  %-*s  %s", width, qident(col.Name), col.Type)
		if col.NotNull {
			b.WriteString(" not null")
		}
		if col.Default != nil {
			fmt.Fprintf(b, " default %s", col.Default.Text)
		}
		if col.Identity != "" {
			fmt.Fprintf(b, " generated %s as identity", strings.ReplaceAll(col.Identity, "_", " "))
		}
		if col.Generated != "" {
			fmt.Fprintf(b, " generated always as (%s) %s", col.GeneratedExpr.Text, col.Generated)
		}
		writeComment(b, col.Comment)
		b.WriteByte('\n')
	}
	if k := t.PrimaryKey; k != nil {
		fmt.Fprintf(b, "  %sprimary key (%s)\n", constraintName(k.Name), identList(k.ColumnNames()))
	}
	for _, k := range t.Unique {
		if k.Index {
			fmt.Fprintf(b, "  unique index %s (%s)\n", qident(k.Name), identList(k.ColumnNames()))
		} else {
			fmt.Fprintf(b, "  %sunique (%s)\n", constraintName(k.Name), identList(k.ColumnNames()))
		}
	}
	for _, k := range t.UniquePartial {
		fmt.Fprintf(b, "  unique index %s (%s)", qident(k.Name), strings.Join(k.Columns, ", "))
		if k.Where != "" {
			fmt.Fprintf(b, " where %s", k.Where)
		}
		b.WriteByte('\n')
	}
	for _, fk := range t.ForeignKeys {
		fmt.Fprintf(b, "  %sforeign key (%s) references %s (%s)", constraintName(fk.Name), identList(columnNames(fk.Columns)),
			fk.Ref.QualifiedName(), identList(columnNames(fk.RefColumns)))
		if fk.OnDelete != "no_action" {
			fmt.Fprintf(b, " on delete %s", strings.ReplaceAll(fk.OnDelete, "_", " "))
		}
		if fk.OnUpdate != "no_action" {
			fmt.Fprintf(b, " on update %s", strings.ReplaceAll(fk.OnUpdate, "_", " "))
		}
		b.WriteByte('\n')
	}
	for _, k := range t.Checks {
		fmt.Fprintf(b, "  %scheck (%s)\n", constraintName(k.Name), k.Expr.Text)
	}
	for _, k := range t.Exclusions {
		fmt.Fprintf(b, "  constraint %s exclude\n", qident(k.Name))
	}
	for _, r := range t.Rules {
		fmt.Fprintf(b, "  rule %s on %s", qident(r.Name), strings.ToLower(r.Event))
		if r.Conditional {
			b.WriteString(" where ...")
		}
		if r.Instead {
			b.WriteString(" do instead")
		} else {
			b.WriteString(" do also")
		}
		if r.Returning {
			b.WriteString(" returning")
		}
		b.WriteByte('\n')
	}
}

func writeComment(b *strings.Builder, c string) {
	if c != "" {
		fmt.Fprintf(b, "  -- %s", oneLine(c))
	}
}

func qident(s string) string { return ddl.QuoteIdent(s) }

func identList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ddl.QuoteIdent(n)
	}
	return strings.Join(out, ", ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func quoteAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = quoteLiteral(v)
	}
	return out
}
