package model

import (
	"regexp"
	"strings"

	"github.com/crudgen/crudgen/runtime"
)

// The query parameters of lists, in the document's components so that the
// collection and its nested routes share them: the paging parameters every
// list has, then each resource's sort and filters.

// listParameters adds the parameters every list shares.
func listParameters(params *Map) {
	one, most, offsetMax, zero := 1.0, float64(runtime.MaxLimit), float64(runtime.MaxOffset), 0.0
	includeMax := float64(runtime.MaxIncludeLimit)
	params.Set("limit", obj("name", "limit", "in", "query", "required", false,
		"description", "How many rows a page holds at most.",
		"schema", &Schema{Type: "integer", Minimum: &one, Maximum: &most, Default: runtime.DefaultLimit}))
	params.Set("cursor", obj("name", "cursor", "in", "query", "required", false,
		"description", "The next_cursor of the previous page, with the same sort; it cannot be combined with offset.",
		"schema", &Schema{Type: "string"}))
	params.Set("offset", obj("name", "offset", "in", "query", "required", false,
		"description", "How many rows to skip; cursors page faster through long lists.",
		"schema", &Schema{Type: "integer", Minimum: &zero, Maximum: &offsetMax, Default: 0}))
	params.Set("count", obj("name", "count", "in", "query", "required", false,
		"description", "exact adds total, the count of the rows the filters match; estimated adds total_estimate, the planner's estimate, which costs far less on big tables.",
		"schema", &Schema{Type: "string", Enum: []string{"exact", "estimated"}}))
	params.Set("include_limit", obj("name", "include_limit", "in", "query", "required", false,
		"description", "How many rows each included one-to-many relation holds at most per row.",
		"schema", &Schema{Type: "integer", Minimum: &one, Maximum: &includeMax, Default: runtime.DefaultIncludeLimit}))
}

// paramRef points at a component parameter.
func paramRef(name string) *Map { return obj("$ref", "#/components/parameters/"+name) }

// listParamRefs are the parameters of the resource's list operations.
func (r *Resource) listParamRefs() []any {
	out := []any{paramRef("limit"), paramRef("cursor"), paramRef("offset"), paramRef("count")}
	if len(r.SortableNames()) > 0 {
		out = append(out, paramRef(r.paramName("sort")))
	}
	if len(r.Relations) > 0 {
		out = append(out, paramRef(r.paramName("include")), paramRef("include_limit"))
	}
	for _, c := range r.filterComponents() {
		out = append(out, paramRef(c))
	}
	return out
}

// paramName is the component name of a parameter of the resource.
func (r *Resource) paramName(s string) string { return apiName(r.GoName) + "." + s }

// addListParameters adds the resource's sort and filter parameters.
func (r *Resource) addListParameters(params *Map) {
	if names := r.SortableNames(); len(names) > 0 {
		alts := make([]string, len(names))
		for i, n := range names {
			alts[i] = regexp.QuoteMeta(n)
		}
		one := "-?(" + strings.Join(alts, "|") + ")"
		params.Set(r.paramName("sort"), writeAhead(obj("name", "sort", "in", "query", "required", false,
			"description", "Columns to order by, comma-separated, each ascending or, after -, descending: "+
				strings.Join(names, ", ")+". Nulls sort last ascending and first descending. The key ends every order.",
			"schema", &Schema{Type: "string", Pattern: "^" + one + "(," + one + ")*$"})))
	}
	if names := r.RelationNames(); len(names) > 0 {
		var desc []string
		for _, rel := range r.Relations {
			if rel.Many {
				desc = append(desc, rel.Name+" (the "+rel.Target.Table.QualifiedName()+" rows pointing at the row, in key order, at most include_limit)")
			} else {
				desc = append(desc, rel.Name+" (the "+rel.Target.Table.QualifiedName()+" row it points at, or null)")
			}
		}
		params.Set(r.paramName("include"), writeAhead(obj("name", "include", "in", "query", "required", false,
			"description", "Related rows to embed in each row, comma-separated: "+strings.Join(desc, ", ")+".",
			"style", "form", "explode", false,
			"schema", &Schema{Type: "array", Items: &Schema{Type: "string", Enum: names}})))
	}
	filters := r.makeFilterParams()
	r.filters = make([]string, len(filters))
	for i, p := range filters {
		params.Set(p.component, writeAhead(p.param))
		r.filters[i] = p.component
	}
}

// addNestedPaths adds the child lists served under the resource's rows.
func (r *Resource) addNestedPaths(paths *Map, auth bool) {
	for _, n := range r.Nested {
		var params []any
		for _, k := range n.Parent.Key {
			params = append(params, obj("name", k.PathParam, "in", "path", "required", true,
				"description", "The "+n.Parent.Table.QualifiedName()+" row's "+k.Name+".", "schema", k.fieldSchema(false, false)))
		}
		params = append(params, r.listParamRefs()...)
		responses := &Map{}
		responses.Set("200", obj("description", "The rows of the parent row.", "content", obj("application/json", obj("schema", ref(apiName(r.GoName+"List"))))))
		statuses := []string{"400", "404", "422", "500", "503"}
		if r.Hooks.Guards() || auth {
			statuses = []string{"400", "401", "403", "404", "422", "500", "503"}
		}
		for _, status := range statuses {
			for _, pr := range problemResponses {
				if pr.status == status {
					responses.Set(status, obj("$ref", "#/components/responses/"+pr.name))
				}
			}
		}
		o := obj("operationId", n.OperationID,
			"summary", "List the rows of "+r.Table.QualifiedName()+" of a row of "+n.Parent.Table.QualifiedName(),
			"tags", []string{r.Table.QualifiedName()}, "parameters", params, "responses", responses)
		paths.Set(n.Path, obj("get", writeAhead(o)))
	}
}

type filterParam struct {
	component string
	param     *Map
}

// opText says what each operator keeps, after "Rows whose <column>".
var opText = map[runtime.Op]string{
	runtime.OpEq:       "equals this",
	runtime.OpNe:       "differs from this (NULL never does)",
	runtime.OpLt:       "is less than this",
	runtime.OpLte:      "is at most this",
	runtime.OpGt:       "is greater than this",
	runtime.OpGte:      "is at least this",
	runtime.OpIn:       "is one of these; repeat the parameter for each value",
	runtime.OpIs:       "is null, or is not null",
	runtime.OpLike:     "matches this LIKE pattern (% any text, _ one character)",
	runtime.OpIlike:    "matches this LIKE pattern, ignoring case",
	runtime.OpContains: "contains these elements; repeat the parameter for each",
	runtime.OpOverlaps: "shares an element with these; repeat the parameter for each",
}

// filterComponents are the component names of the filter parameters,
// which addListParameters keeps.
func (r *Resource) filterComponents() []string {
	if r.filters == nil {
		for _, p := range r.makeFilterParams() {
			r.filters = append(r.filters, p.component)
		}
	}
	return r.filters
}

// makeFilterParams lists the filter parameters of the resource: col for
// equality and col[op] for the other operators, or only col[eq] when the
// column is named like a list parameter.
func (r *Resource) makeFilterParams() []filterParam {
	out := []filterParam{}
	used := map[string]bool{}
	for _, f := range r.Fields {
		base := r.paramName(componentSafe(f.JSON))
		for used[base] {
			base += "_"
		}
		used[base] = true
		for _, op := range f.Filter.Ops.List() {
			name, component := f.JSON+"["+op.String()+"]", base+"."+op.String()
			if op == runtime.OpEq && f.Filter.Ops != runtime.EqOnly {
				name, component = f.JSON, base
			}
			text := opText[op]
			if op == runtime.OpContains && f.Filter.Value == "runtime.JSONValue" {
				text = "contains this JSON document (@>)"
			}
			var s *Schema
			explode := false
			switch {
			case op == runtime.OpIs:
				s = &Schema{Type: "string", Enum: []string{"null", "not_null"}}
			case op == runtime.OpLike || op == runtime.OpIlike:
				s = &Schema{Type: "string"}
			case f.Filter.Value == "runtime.JSONValue":
				s = &Schema{Type: "string"}
			case op == runtime.OpIn || f.Type.IsArray():
				s = &Schema{Type: "array", Items: f.Filter.Param.clone()}
				explode = true
			default:
				s = f.Filter.Param.clone()
			}
			s.Description = ""
			p := obj("name", name, "in", "query", "required", false,
				"description", "Rows whose "+f.JSON+" "+text+".")
			if explode {
				p.Set("style", "form")
				p.Set("explode", true)
			}
			p.Set("schema", s)
			out = append(out, filterParam{component: component, param: p})
		}
	}
	return out
}

// componentSafe keeps the characters component names allow.
func componentSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
