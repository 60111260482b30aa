package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/crudgen/crudgen/runtime"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Schema is an OpenAPI 3.0 schema object.
type Schema struct {
	Ref                  string    `json:"$ref,omitempty"`
	AllOf                []*Schema `json:"allOf,omitempty"`
	OneOf                []*Schema `json:"oneOf,omitempty"`
	Type                 string    `json:"type,omitempty"`
	Format               string    `json:"format,omitempty"`
	Description          string    `json:"description,omitempty"`
	Nullable             bool      `json:"nullable,omitempty"`
	ReadOnly             bool      `json:"readOnly,omitempty"`
	Enum                 []string  `json:"enum,omitempty"`
	Default              any       `json:"default,omitempty"`
	MinLength            *int      `json:"minLength,omitempty"`
	MaxLength            *int      `json:"maxLength,omitempty"`
	Minimum              *float64  `json:"minimum,omitempty"`
	ExclusiveMinimum     bool      `json:"exclusiveMinimum,omitempty"`
	Maximum              *float64  `json:"maximum,omitempty"`
	ExclusiveMaximum     bool      `json:"exclusiveMaximum,omitempty"`
	Pattern              string    `json:"pattern,omitempty"`
	Items                *Schema   `json:"items,omitempty"`
	MinItems             *int      `json:"minItems,omitempty"`
	MaxItems             *int      `json:"maxItems,omitempty"`
	Required             []string  `json:"required,omitempty"`
	Properties           *Map      `json:"properties,omitempty"`
	AdditionalProperties *bool     `json:"additionalProperties,omitempty"`
}

func ref(name string) *Schema { return &Schema{Ref: "#/components/schemas/" + name} }

// apiName turns a Go name into an OpenAPI component name, which allows
// only ASCII letters, digits, '.', '_' and '-': other letters become
// _uXXXX. Go names never hold '_', so the result stays unique.
func apiName(goName string) string {
	var b strings.Builder
	for _, r := range goName {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_u%04X", r)
		}
	}
	return b.String()
}

// problemResponses are the error responses every API shares, by status.
var problemResponses = []struct {
	name, status, description string
}{
	{"BadRequest", "400", "The body is not JSON, or the query string does not decode."},
	{"Unauthorized", "401", "The request says nobody the API knows."},
	{"Forbidden", "403", "The caller may not do this."},
	{"NotFound", "404", "The row does not exist."},
	{"Conflict", "409", "The row conflicts with another (unique key) or is still referenced."},
	{"PreconditionFailed", "412", "The row has changed: its ETag is none of those If-Match names."},
	{"PayloadTooLarge", "413", "The body is too large."},
	{"UnsupportedMediaType", "415", "The body is not JSON."},
	{"UnprocessableEntity", "422", "The request is invalid; errors locate each problem."},
	{"PreconditionRequired", "428", "The resource takes writes of a row only with If-Match."},
	{"InternalServerError", "500", "Something failed on the server."},
	{"ServiceUnavailable", "503", "The database is unreachable or busy; retry after the Retry-After header's seconds. Nothing was written, unless the problem's type is https://pkg.go.dev/github.com/crudgen/crudgen/runtime#TypeOutcomeUnknown: the connection broke after the write was sent, and it may have been applied."},
}

// opResponses lists the error statuses of each operation.
var opResponses = map[string][]string{
	"list":   {"400", "422", "500", "503"},
	"create": {"400", "409", "413", "415", "422", "500", "503"},
	"get":    {"404", "422", "500", "503"},
	"update": {"400", "404", "409", "412", "413", "415", "422", "500", "503"},
	"patch":  {"400", "404", "409", "412", "413", "415", "422", "500", "503"},
	"delete": {"404", "409", "412", "422", "500", "503"},
}

// ifMatchParameters are the If-Match header of writes to a row, optional
// and required (require_if_match), as components of the document.
var ifMatchParameters = []struct {
	name     string
	required bool
	more     string
}{
	{"IfMatch", false, " Without it, the write happens whatever the row holds."},
	{"IfMatchRequired", true, " The resource takes no write of a row without it (428)."},
}

// etagHeader describes the ETag of an answer with one row.
func etagHeader(required bool, when string) *Map {
	return obj("description", "The row's entity tag"+when+", for If-Match.", "required", required, "schema", &Schema{Type: "string"})
}

// OpenAPI returns the OpenAPI 3.0.3 document of the package as indented
// JSON.
func (p *Package) OpenAPI() ([]byte, error) {
	paths := &Map{}
	schemas := &Map{}
	schemas.Set("Problem", problemSchema())
	schemas.Set("FieldError", fieldErrorSchema())
	for _, e := range p.Enums {
		values := make([]string, len(e.Values))
		for i, v := range e.Values {
			values[i] = v.Value
		}
		schemas.Set(apiName(e.GoName), &Schema{Type: "string", Enum: values, Description: e.Comment})
	}
	parameters := &Map{}
	listParameters(parameters)
	for _, m := range ifMatchParameters {
		if slices.ContainsFunc(p.Resources, func(r *Resource) bool { return r.Writable && len(r.Key) > 0 && r.RequireIfMatch == m.required }) {
			parameters.Set(m.name, obj("name", "If-Match", "in", "header", "required", m.required,
				"description", "The ETag of the row as last read: the write happens only if the row has not changed since (else 412); * matches any existing row."+m.more,
				"schema", &Schema{Type: "string"}))
		}
	}
	for _, r := range p.Resources {
		r.addSchemas(schemas)
		r.addListParameters(parameters)
		r.addPaths(paths, p.Auth != "")
	}
	for _, r := range p.Resources {
		r.addNestedPaths(paths, p.Auth != "")
	}
	arrays, floats := p.valueKinds()
	if arrays {
		schemas.Set(arrayDimension, arrayDimensionSchema())
	}
	if floats {
		schemas.Set(nonFiniteNumber, &Schema{Type: "string", Enum: []string{"NaN", "Infinity", "-Infinity"},
			Description: "A real or double precision value that no JSON number writes."})
	}
	responses := &Map{}
	for _, pr := range problemResponses {
		resp := obj("description", pr.description)
		if pr.status == "503" {
			resp.Set("headers", obj("Retry-After", obj("description", "Seconds to wait before retrying.", "required", true,
				"schema", &Schema{Type: "integer"})))
		}
		resp.Set("content", obj("application/problem+json", obj("schema", ref("Problem"))))
		responses.Set(pr.name, resp)
	}
	doc := obj(
		"openapi", "3.0.3",
		"info", obj("title", p.Title, "version", "1.0.0", "description", "Generated by crudgen."),
	)
	if p.BasePath != "" {
		doc.Set("servers", []any{obj("url", p.BasePath)})
	}
	if err := p.mergeExtra(paths, schemas); err != nil {
		return nil, err
	}
	components := obj("schemas", schemas, "parameters", parameters, "responses", responses)
	if p.Auth == "bearer" {
		doc.Set("security", []any{obj("bearerAuth", []string{})})
		components.Set("securitySchemes", obj("bearerAuth", obj("type", "http", "scheme", "bearer",
			"description", "A token of the server's AUTH_TOKENS_FILE; read-only tokens may only GET.")))
	}
	doc.Set("paths", paths)
	doc.Set("components", components)
	out, err := appendIndented(make([]byte, 0, sizeHint(doc)), doc, 0)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Shared schemas of values, in the components of documents whose fields
// use them. Their names are reserved (packageNames), so no table's schema
// takes them.
const (
	arrayDimension  = "ArrayDimension"
	nonFiniteNumber = "NonFiniteNumber"
)

// valueKinds reports whether some field is an array, and whether some
// field is or holds real or double precision values.
func (p *Package) valueKinds() (arrays, floats bool) {
	for _, r := range p.Resources {
		for _, f := range r.Fields {
			t := f.Type
			if t.Elem != nil {
				arrays = true
				t = *t.Elem
			}
			if t.Kind == KindFloat && len(t.JSON.OneOf) > 0 {
				floats = true
			}
		}
	}
	return arrays, floats
}

func arrayDimensionSchema() *Schema {
	return &Schema{
		Type: "object",
		Description: "A dimension of an array value. Array fields are nested JSON arrays, as deep as their column " +
			"declares dimensions (one unless its type says more), numbered from 1. When an array's lower bounds are " +
			"not 1, or it has another number of dimensions, the field named after it with @dims appended gives its " +
			"dimensions, outermost first; with another number of dimensions, the nested arrays hold its elements in " +
			"row-major order (the last index varies fastest), all levels but the innermost of length one. A request " +
			"may send both fields the same way.",
		Required: []string{"lower", "length"},
		Properties: obj(
			"lower", &Schema{Type: "integer", Format: "int32", Description: "The index of the first element."},
			"length", &Schema{Type: "integer", Format: "int32", Minimum: ptr(1.0)},
		),
		AdditionalProperties: ptr(false),
	}
}

func problemSchema() *Schema {
	return &Schema{
		Type:        "object",
		Description: "An RFC 9457 problem.",
		Required:    []string{"type", "title", "status"},
		Properties: obj(
			"type", &Schema{Type: "string"},
			"title", &Schema{Type: "string"},
			"status", &Schema{Type: "integer"},
			"detail", &Schema{Type: "string"},
			"instance", &Schema{Type: "string"},
			"request_id", &Schema{Type: "string"},
			"errors", &Schema{Type: "array", Items: ref("FieldError")},
		),
	}
}

func fieldErrorSchema() *Schema {
	return &Schema{
		Type:     "object",
		Required: []string{"loc", "code", "message"},
		Properties: obj(
			"loc", &Schema{Type: "array", Description: "Where the problem is: body, query, path or header, then field names and array indexes.",
				Items: &Schema{OneOf: []*Schema{{Type: "string"}, {Type: "integer"}}}},
			"code", &Schema{Type: "string", Enum: []string{"required", "type", "read_only", "unknown_field", "max_length",
				"min_length", "enum", "pattern", "minimum", "maximum", "check", "unique", "foreign_key", "referenced", "format", "invalid_cursor"}},
			"message", &Schema{Type: "string"},
		),
	}
}

// fieldSchema is the schema of a field's value; nullable adds null.
func (f *Field) fieldSchema(nullable bool, rules bool) *Schema {
	if f.Type.Elem != nil {
		return f.arraySchema(nullable, rules)
	}
	s := firstFormCopy(f.Type.JSON)
	var notes []string
	if rules {
		for _, r := range f.Rules {
			if note := r.apply(firstForm(s)); note != "" {
				notes = append(notes, note)
			}
		}
	}
	desc := strings.TrimSpace(f.Comment + " " + strings.Join(notes, " "))
	if s.Ref != "" && desc != "" {
		s = &Schema{AllOf: []*Schema{{Ref: s.Ref}}} // siblings of $ref are ignored
	}
	if nullable {
		s = admitNull(s)
	}
	s.Description = desc
	return s
}

// arraySchema is the schema of an array field: nested arrays as deep as
// the column declares, of elements that may be null. Values of other
// shapes come with their dimensions in a second field (dimsSchema).
func (f *Field) arraySchema(nullable bool, rules bool) *Schema {
	elem := firstFormCopy(f.Type.Elem.JSON)
	var notes []string
	if rules {
		for _, r := range f.ElemRules {
			if note := r.apply(firstForm(elem)); note != "" {
				notes = append(notes, "Each element "+lowerFirst(note))
			}
		}
	}
	s := admitNull(elem)
	for range max(f.Type.Dims, 1) {
		s = &Schema{Type: "array", Items: s}
	}
	if nullable {
		s = admitNull(s)
	}
	s.Description = strings.TrimSpace(f.Comment + " " + strings.Join(notes, " "))
	return s
}

// firstForm is the schema the rules of a value apply to: s, or the first
// form of a value of several forms (a number, then the strings of
// non-finite numbers).
func firstForm(s *Schema) *Schema {
	if len(s.OneOf) > 0 {
		return s.OneOf[0]
	}
	return s
}

// firstFormCopy copies s, and its first form, so that they can change.
func firstFormCopy(s *Schema) *Schema {
	c := s.clone()
	if len(c.OneOf) > 0 {
		c.OneOf = slices.Clone(c.OneOf)
		c.OneOf[0] = c.OneOf[0].clone()
	}
	return c
}

// admitNull returns s admitting null as well, in the form OpenAPI 3.0
// tools read: nullable beside a type (in the first form of several), or
// beside a reference wrapped in allOf. A schema without type admits null
// already (OpenAPI 3.0.3: nullable has no effect without type), as json
// and jsonb values, which may be null in NOT NULL columns too, need.
func admitNull(s *Schema) *Schema {
	switch {
	case s.Ref != "":
		return &Schema{AllOf: []*Schema{{Ref: s.Ref}}, Nullable: true}
	case len(s.OneOf) > 0:
		firstForm(s).Nullable = true
	case s.Type != "" || len(s.AllOf) > 0:
		s.Nullable = true
	}
	return s
}

// DimsJSON is the name of the field that gives the dimensions of an array
// field's values when nested arrays cannot (runtime.AppendArrayDims).
func (f *Field) DimsJSON() string { return f.JSON + "@dims" }

// dimsSchema is the schema of the dimensions field of an array field.
func (f *Field) dimsSchema() *Schema {
	return &Schema{
		Type: "array", MinItems: ptr(1), MaxItems: ptr(6), Items: ref(arrayDimension),
		Description: "The dimensions of " + f.JSON + ", present when they are not " + dimsWords(f.Type.Dims) +
			" numbered from 1 (see ArrayDimension).",
	}
}

func dimsWords(n int) string {
	if n <= 1 {
		return "one dimension"
	}
	return strconv.Itoa(n) + " dimensions"
}

func (s *Schema) clone() *Schema {
	if s == nil {
		return &Schema{}
	}
	c := *s
	return &c
}

// apply puts a rule into a schema. What JSON Schema cannot say (a range
// on a decimal, which travels as a string; a regular expression ECMA-262
// does not read) comes back as a sentence for the description.
func (r Rule) apply(s *Schema) string {
	switch {
	case r.Note != "":
		return r.Note
	case r.MaxLength != nil:
		if s.MaxLength == nil || *r.MaxLength < *s.MaxLength {
			s.MaxLength = r.MaxLength
		}
	case r.MinLength != nil:
		s.MinLength = r.MinLength
	case (r.Minimum != nil || r.Maximum != nil) && s.Type == "string":
		return "Must be " + r.bound() + "."
	case r.Minimum != nil:
		s.Minimum, s.ExclusiveMinimum = r.Minimum, r.ExclusiveMin
	case r.Maximum != nil:
		s.Maximum, s.ExclusiveMaximum = r.Maximum, r.ExclusiveMax
	case r.Pattern != "":
		if p, ok := ecmaPattern(r.Pattern); ok {
			s.Pattern = p
		} else {
			return "Must match " + r.Pattern + "."
		}
	case r.Enum != nil:
		s.Enum = r.Enum
	}
	return ""
}

// bound describes a minimum or maximum rule.
func (r Rule) bound() string {
	lit := r.Args[0]
	if uq, err := strconv.Unquote(lit); err == nil {
		lit = uq
	}
	switch {
	case r.Minimum != nil && r.ExclusiveMin:
		return "greater than " + lit
	case r.Minimum != nil:
		return "at least " + lit
	case r.ExclusiveMax:
		return "less than " + lit
	}
	return "at most " + lit
}

// posixClasses translates the POSIX bracket classes PostgreSQL and Go
// accept into what ECMA-262 (the dialect of OpenAPI patterns) reads.
var posixClasses = strings.NewReplacer(
	"[:space:]", `\s`, "[:digit:]", `\d`, "[:alpha:]", "a-zA-Z", "[:alnum:]", "a-zA-Z0-9",
	"[:upper:]", "A-Z", "[:lower:]", "a-z", "[:xdigit:]", "0-9A-Fa-f", "[:blank:]", ` \t`,
)

// ecmaPattern rewrites a pattern for OpenAPI, or reports that it cannot.
func ecmaPattern(p string) (string, bool) {
	out := posixClasses.Replace(p)
	if strings.Contains(out, "[:") || strings.Contains(out, "(?") || strings.Contains(out, `\A`) || strings.Contains(out, `\z`) {
		return "", false
	}
	return out, true
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (r *Resource) addSchemas(schemas *Map) {
	props := &Map{}
	var required []string
	for _, f := range r.Fields {
		s := f.fieldSchema(f.Nullable, false)
		s.ReadOnly = f.ReadOnly
		props.Set(f.JSON, s)
		required = append(required, f.JSON)
		if f.Type.Elem != nil {
			dims := f.dimsSchema()
			dims.ReadOnly = f.ReadOnly
			props.Set(f.DimsJSON(), dims)
		}
	}
	desc := r.Comment
	if desc == "" {
		desc = "A row of " + strings.ReplaceAll(string(r.Table.Kind), "_", " ") + " " + r.Table.QualifiedName() + "."
	}
	schemas.Set(apiName(r.GoName), writeAhead(&Schema{Type: "object", Description: desc, Required: required, Properties: props}))
	schemas.Set(apiName(r.GoName+"List"), writeAhead(&Schema{
		Type:     "object",
		Required: []string{"items"},
		Properties: obj(
			"items", &Schema{Type: "array", Items: ref(apiName(r.GoName))},
			"next_cursor", &Schema{Type: "string", Description: "Pass as cursor to get the next page; absent on the last page."},
			"total", &Schema{Type: "integer", Format: "int64", Description: "With count=exact: how many rows the filters match."},
			"total_estimate", &Schema{Type: "integer", Format: "int64", Description: "With count=estimated: the planner's estimate of that count."},
		),
	}))
	for _, req := range []*Request{r.Create, r.Update, r.Patch} {
		if req != nil {
			schemas.Set(apiName(req.GoName), writeAhead(req.schema()))
		}
	}
}

func (req *Request) schema() *Schema {
	props := &Map{}
	var required []string
	for _, k := range req.KeyFields {
		s := k.fieldSchema(false, false)
		s.Description = strings.TrimSpace(s.Description + " Optional; must equal the key in the path.")
		props.Set(k.JSON, s)
	}
	for _, f := range req.Fields {
		nullable := f.Mode == NullableField || f.Mode == OptionalField && !f.NotNull
		props.Set(f.JSON, f.fieldSchema(nullable, true))
		if f.Mode == Required {
			required = append(required, f.JSON)
		}
		if f.Type.Elem != nil {
			props.Set(f.DimsJSON(), f.dimsSchema())
		}
	}
	no := false
	return &Schema{Type: "object", Required: required, Properties: props, AdditionalProperties: &no}
}

func (r *Resource) addPaths(paths *Map, auth bool) {
	for _, op := range r.Ops {
		v, _ := paths.Get(op.Path)
		item, _ := v.(*Map)
		if item == nil {
			item = &Map{}
			paths.Set(op.Path, item)
		}
		o := obj("operationId", op.OperationID, "summary", op.Summary, "tags", []string{r.Table.QualifiedName()})
		var params []any
		if op.Route != "/" {
			for _, k := range r.Key {
				params = append(params, obj("name", k.PathParam, "in", "path", "required", true,
					"description", "The row's "+k.Name+".", "schema", k.fieldSchema(false, false)))
			}
		}
		if op.Name == "list" {
			params = append(params, r.listParamRefs()...)
		}
		if op.Name == "update" || op.Name == "patch" || op.Name == "delete" {
			if r.RequireIfMatch {
				params = append(params, paramRef("IfMatchRequired"))
			} else {
				params = append(params, paramRef("IfMatch"))
			}
		}
		if op.Name == "create" && r.Upsert {
			params = append(params, obj("name", "Prefer", "in", "header", "required", false,
				"description", "resolution=merge-duplicates turns the create into an upsert: a row whose "+r.KeySource+
					" exists is updated with the fields given (200) instead of conflicting; a new one is created (201).",
				"schema", &Schema{Type: "string", Enum: []string{"resolution=merge-duplicates"}}))
		}
		if params != nil {
			o.Set("parameters", params)
		}
		switch op.Name {
		case "create":
			// One row, or an array of rows created together.
			one, most := 1, runtime.MaxBatchRows
			if n := len(r.Create.Fields); n > 0 {
				most = min(most, 65535/n)
			}
			schema := &Schema{OneOf: []*Schema{ref(apiName(r.Create.GoName)),
				{Type: "array", Items: ref(apiName(r.Create.GoName)), MinItems: &one, MaxItems: &most}}}
			o.Set("requestBody", obj("required", true, "content", obj("application/json", obj("schema", schema))))
		case "update", "patch":
			req := map[string]*Request{"update": r.Update, "patch": r.Patch}[op.Name]
			content := obj("application/json", obj("schema", ref(apiName(req.GoName))))
			if op.Name == "patch" {
				content.Set("application/merge-patch+json", obj("schema", ref(apiName(req.GoName))))
			}
			o.Set("requestBody", obj("required", true, "content", content))
		}
		responses := &Map{}
		switch op.Name {
		case "list":
			responses.Set("200", obj("description", "The rows.", "content", obj("application/json", obj("schema", ref(apiName(r.GoName+"List"))))))
		case "create":
			created := obj("description", "The created row, or the created rows in the order of the request's array.")
			headers := &Map{}
			if len(r.Key) > 0 {
				headers.Set("Location", obj("description", "The row's URL, when one row was created.", "schema", &Schema{Type: "string"}))
			}
			headers.Set("ETag", etagHeader(false, ", when one row was created"))
			created.Set("headers", headers)
			created.Set("content", obj("application/json", obj("schema", &Schema{OneOf: []*Schema{ref(apiName(r.GoName)),
				{Type: "array", Items: ref(apiName(r.GoName))}}})))
			responses.Set("201", created)
			if r.Upsert {
				responses.Set("200", obj("description", "With Prefer: resolution=merge-duplicates, the row that existed, updated.",
					"headers", obj("Preference-Applied", obj("description", "resolution=merge-duplicates", "schema", &Schema{Type: "string"}),
						"ETag", etagHeader(true, "")),
					"content", obj("application/json", obj("schema", ref(apiName(r.GoName))))))
			}
		case "get", "update", "patch":
			responses.Set("200", obj("description", "The row.", "headers", obj("ETag", etagHeader(true, "")),
				"content", obj("application/json", obj("schema", ref(apiName(r.GoName))))))
		case "delete":
			responses.Set("204", obj("description", "The row was deleted."))
		}
		statuses := slices.Clone(opResponses[op.Name])
		if r.Hooks.Guards() || auth {
			statuses = append(statuses, "401", "403")
		}
		if r.RequireIfMatch && (op.Name == "update" || op.Name == "patch" || op.Name == "delete") {
			statuses = append(statuses, "428")
		}
		slices.Sort(statuses)
		for _, status := range statuses {
			for _, pr := range problemResponses {
				if pr.status == status {
					responses.Set(status, obj("$ref", "#/components/responses/"+pr.name))
				}
			}
		}
		o.Set("responses", responses)
		item.Set(strings.ToLower(op.Method), writeAhead(o))
	}
}

// mergeExtra adds the operations of the user's own routes (Extra, an
// OpenAPI fragment with paths and components/schemas) to the document.
// What the generated API already describes cannot be replaced.
func (p *Package) mergeExtra(paths, schemas *Map) error {
	if len(p.Extra) == 0 {
		return nil
	}
	var extra struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	dec := json.NewDecoder(bytes.NewReader(p.Extra))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&extra); err != nil {
		return fmt.Errorf("openapi: %v (the file holds paths and components.schemas)", err)
	}
	for _, path := range slices.Sorted(maps.Keys(extra.Paths)) {
		v, _ := paths.Get(path)
		item, _ := v.(*Map)
		if item == nil {
			item = &Map{}
			paths.Set(path, item)
		}
		for _, method := range slices.Sorted(maps.Keys(extra.Paths[path])) {
			if _, ok := item.Get(method); ok {
				return fmt.Errorf("openapi: %s %s is a generated operation already", strings.ToUpper(method), path)
			}
			item.Set(method, extra.Paths[path][method])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(extra.Components.Schemas)) {
		if _, ok := schemas.Get(name); ok {
			return fmt.Errorf("openapi: schema %s is a generated one already", name)
		}
		schemas.Set(name, extra.Components.Schemas[name])
	}
	return nil
}
