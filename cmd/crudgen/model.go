package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/crudgen/crudgen/generator/model"
)

// The model as inspect --model prints it: what crudgen decided for each
// table, to read before generating.

type modelJSON struct {
	Package   string         `json:"package"`
	Resources []resourceJSON `json:"resources"`
	Enums     []string       `json:"enums,omitempty"`
	Notes     []string       `json:"notes,omitempty"`
}

type resourceJSON struct {
	Table      string         `json:"table"`
	Type       string         `json:"type"`
	Route      string         `json:"route"`
	Key        []string       `json:"key,omitempty"`
	KeySource  string         `json:"key_source,omitempty"`
	Operations []string       `json:"operations"`
	Fields     []fieldJSON    `json:"fields"`
	Relations  []relationJSON `json:"relations,omitempty"`
	Upsert     bool           `json:"upsert,omitempty"`
	Hooks      []string       `json:"hooks,omitempty"`
	// RequireIfMatch: PUT, PATCH and DELETE need If-Match.
	RequireIfMatch bool `json:"require_if_match,omitempty"`
}

type fieldJSON struct {
	Column    string   `json:"column"`
	JSON      string   `json:"json"`
	Go        string   `json:"go"`
	Nullable  bool     `json:"nullable,omitempty"`
	ReadOnly  bool     `json:"read_only,omitempty"`
	WriteOnly bool     `json:"write_only,omitempty"`
	Filters   []string `json:"filters,omitempty"`
	Sortable  bool     `json:"sortable,omitempty"`
}

type relationJSON struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"` // many-to-one or one-to-many
	Target string `json:"target"`
}

func modelOf(pkg *model.Package) modelJSON {
	out := modelJSON{Package: pkg.Name, Notes: pkg.Notes}
	for _, e := range pkg.Enums {
		out.Enums = append(out.Enums, e.GoName)
	}
	for _, r := range pkg.Resources {
		res := resourceJSON{Table: r.Table.QualifiedName(), Type: r.GoName, Route: r.Path, KeySource: r.KeySource, Upsert: r.Upsert, RequireIfMatch: r.RequireIfMatch}
		for _, k := range r.Key {
			res.Key = append(res.Key, k.Name)
		}
		for _, op := range r.Ops {
			res.Operations = append(res.Operations, op.Method+" "+op.Path)
		}
		for _, n := range r.Nested {
			res.Operations = append(res.Operations, "GET "+n.Path)
		}
		for _, f := range r.Inputs {
			fj := fieldJSON{Column: f.Name, JSON: f.JSON, Go: f.DeclType(), Nullable: f.Nullable, ReadOnly: f.ReadOnly, WriteOnly: f.WriteOnly, Sortable: f.Filter.Sort}
			if !f.WriteOnly {
				for _, op := range f.Filter.Ops.List() {
					fj.Filters = append(fj.Filters, op.String())
				}
			}
			res.Fields = append(res.Fields, fj)
		}
		for _, rel := range r.Relations {
			kind := "many-to-one"
			if rel.Many {
				kind = "one-to-many"
			}
			res.Relations = append(res.Relations, relationJSON{Name: rel.Name, Kind: kind, Target: rel.Target.Table.QualifiedName()})
		}
		if r.Hooks != nil {
			res.Hooks = r.Hooks.Methods
		}
		out.Resources = append(out.Resources, res)
	}
	return out
}

func writeModel(w io.Writer, pkg *model.Package, format string) error {
	m := modelOf(pkg)
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(m)
	}
	for _, r := range m.Resources {
		fmt.Fprintf(w, "%s -> %s (%s)", r.Table, r.Route, r.Type)
		if r.KeySource != "" {
			fmt.Fprintf(w, " key %v from the %s", r.Key, r.KeySource)
		}
		fmt.Fprintln(w)
		for _, op := range r.Operations {
			fmt.Fprintf(w, "  %s\n", op)
		}
		for _, f := range r.Fields {
			fmt.Fprintf(w, "  field %s %s", f.JSON, f.Go)
			switch {
			case f.ReadOnly:
				fmt.Fprint(w, " read-only")
			case f.WriteOnly:
				fmt.Fprint(w, " write-only")
			}
			fmt.Fprintln(w)
		}
		for _, rel := range r.Relations {
			fmt.Fprintf(w, "  relation %s: %s %s\n", rel.Name, rel.Kind, rel.Target)
		}
	}
	for _, n := range m.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	return nil
}
