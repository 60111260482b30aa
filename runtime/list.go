package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Limits of list requests.
const (
	DefaultLimit        = 50
	MaxLimit            = 1000
	MaxOffset           = 10000
	DefaultIncludeLimit = 10
	MaxIncludeLimit     = 100
)

// Op is a filter operator: the op of a col[op]=value query parameter.
type Op uint8

// The filter operators.
const (
	OpEq Op = iota
	OpNe
	OpLt
	OpLte
	OpGt
	OpGte
	OpIn
	OpIs
	OpLike
	OpIlike
	OpContains
	OpOverlaps
	numOps
)

var opNames = [numOps]string{"eq", "ne", "lt", "lte", "gt", "gte", "in", "is", "like", "ilike", "contains", "overlaps"}

func (op Op) String() string {
	if op < numOps {
		return opNames[op]
	}
	return "op" + strconv.Itoa(int(op))
}

// many reports whether the operator takes its values from repeated
// parameters.
func (op Op) many() bool { return op == OpIn || op == OpContains || op == OpOverlaps }

// Ops is a set of operators.
type Ops uint16

// Has reports whether op is in the set.
func (s Ops) Has(op Op) bool { return s&(1<<op) != 0 }

// List returns the operators of the set in order.
func (s Ops) List() []Op {
	var out []Op
	for op := Op(0); op < numOps; op++ {
		if s.Has(op) {
			out = append(out, op)
		}
	}
	return out
}

// OpsOf returns the set of the given operators.
func OpsOf(ops ...Op) Ops {
	var s Ops
	for _, op := range ops {
		s |= 1 << op
	}
	return s
}

// The operator sets generated code gives its columns, by type family.
var (
	// EqualityOps: types with equality but no useful order (bool, bytea).
	EqualityOps = OpsOf(OpEq, OpNe, OpIn, OpIs)
	// OrderedOps: numbers, times, uuids, enums, network addresses.
	OrderedOps = EqualityOps | OpsOf(OpLt, OpLte, OpGt, OpGte)
	// TextOps: text and the types read as text.
	TextOps = OrderedOps | OpsOf(OpLike, OpIlike)
	// ArrayOps: arrays, filtered by their elements.
	ArrayOps = OpsOf(OpContains, OpOverlaps, OpIs)
	// JSONBOps: jsonb, whose contains takes a JSON document.
	JSONBOps = OpsOf(OpContains, OpIs)
	// NullOps: types that can only be tested for NULL (json).
	NullOps = OpsOf(OpIs)
	// EqOnly: a column named like a list parameter (limit, sort...), which
	// only its col[eq] form can filter.
	EqOnly = OpsOf(OpEq)
)

// reservedParams are the query parameters of lists that are not filters.
var reservedParams = []string{"limit", "offset", "cursor", "sort", "count", "include", "include_limit"}

// ReservedParam reports whether name is a list parameter, so that a column
// of that name can only be filtered as name[eq].
func ReservedParam(name string) bool { return slices.Contains(reservedParams, name) }

// Value parses the values of one column's filters and cursors into the Go
// type that pgx binds to the column's type.
type Value struct {
	parse     func(string) (any, error)
	parseAll  func([]string) (any, []int, []error)
	read      func(*Decoder) (any, bool)
	cast      string
	arrayCast string
	elems     bool // the column is an array; values are its elements
}

// ValueOf returns the Value of a column whose Go type is T: parse reads a
// query parameter, read a cursor's JSON, and cast follows each $n
// placeholder when PostgreSQL needs the type spelled out (enums, domains,
// types read as text).
func ValueOf[T any](parse func(string) (T, error), read func(*Decoder, *T) bool, cast string) Value {
	return Value{
		parse: func(s string) (any, error) { return parse(s) },
		parseAll: func(ss []string) (any, []int, []error) {
			out := make([]T, len(ss))
			var bad []int
			var errs []error
			for i, s := range ss {
				v, err := parse(s)
				if err != nil {
					bad, errs = append(bad, i), append(errs, err)
				}
				out[i] = v
			}
			return out, bad, errs
		},
		read: func(d *Decoder) (any, bool) {
			var v T
			ok := read(d, &v)
			return v, ok
		},
		cast:      cast,
		arrayCast: arrayCast(cast),
	}
}

// ElemsOf returns the Value of an array column whose elements are T: its
// contains and overlaps filters take elements, bound as one array with
// cast, the column's own.
func ElemsOf[T any](parse func(string) (T, error), cast string) Value {
	v := ValueOf(parse, nil, cast)
	v.read = nil
	v.arrayCast = cast
	v.elems = true
	return v
}

// JSONValue is the Value of a jsonb column: contains takes a JSON document,
// read as a jsonb body field is (Decoder.RawJSON: valid UTF-8, no \u0000,
// numbers within numeric's range), so that PostgreSQL never refuses it.
var JSONValue = Value{parse: func(s string) (any, error) {
	var raw json.RawMessage
	d := NewDecoder([]byte(s))
	d.RawJSON(&raw)
	if err := d.Finish(); err != nil {
		if errs := d.Errors(); len(errs) > 0 {
			return nil, errors.New(errs[0].Message)
		}
		return nil, fmt.Errorf("must be a JSON document")
	}
	return s, nil
}, cast: "::jsonb"}

// arrayCast turns the cast of a value into that of an array of values:
// ::text::public.mood becomes ::text[]::public.mood[].
func arrayCast(cast string) string {
	if cast == "" {
		return ""
	}
	parts := strings.Split(cast, "::")
	for i := 1; i < len(parts); i++ {
		parts[i] += "[]"
	}
	return strings.Join(parts, "::")
}

// Column is a column a list can filter and sort on.
type Column struct {
	Name     string // the query parameter: the row's JSON field name
	SQL      string // the column, quoted where needed, cast to text when read as text
	Ops      Ops
	Sort     bool // may appear in sort
	Nullable bool
	Value    Value
}

// List is what the list of one resource accepts, and how it queries its
// table: generated code declares one per resource.
type List struct {
	Table   string   // the table, schema-qualified and quoted where needed
	Select  string   // the select list of a row
	Columns []Column // in the row's order, so that an index names a field
	// Key names the columns that end every sort and make it total. A list
	// without a key pages with offsets.
	Key []string
	// Relations are what include= can embed.
	Relations []Relation

	once   sync.Once
	byName map[string]int
	key    []int
}

func (l *List) init() {
	l.once.Do(func() {
		l.byName = make(map[string]int, len(l.Columns))
		for i, c := range l.Columns {
			l.byName[c.Name] = i
		}
		for _, k := range l.Key {
			i, ok := l.byName[k]
			if !ok {
				panic("runtime: key column " + k + " is not a column of the list")
			}
			l.key = append(l.key, i)
		}
	})
}

// Column returns the index of the column named name.
func (l *List) Column(name string) (int, bool) {
	l.init()
	i, ok := l.byName[name]
	return i, ok
}

// Count says which total a list response carries.
type Count uint8

// The values of the count parameter.
const (
	CountNone      Count = iota
	CountExact           // count=exact: "total", from count(*)
	CountEstimated       // count=estimated: "total_estimate", the planner's estimate
)

// Filter is one condition of a list: Column (an index into List.Columns)
// compared with Value by Op. Value is a Go value of the column's type, a
// slice of them for in, contains and overlaps, and a bool for is (true:
// IS NULL).
type Filter struct {
	Column int
	Op     Op
	Value  any
}

// SortKey orders a list by a column.
type SortKey struct {
	Column int
	Desc   bool
}

// ListQuery is a parsed list request.
type ListQuery struct {
	Filters []Filter
	Sort    []SortKey // as requested; the key follows them in SQL
	Limit   int
	Offset  int
	Count   Count
	// Include names the relations to embed, IncludeLimit bounds the rows
	// of each one-to-many relation per row.
	Include      []string
	IncludeLimit int

	sort   string // the sort parameter, normalized: what a cursor must match
	after  []any  // the cursor's values of the order's columns
	cursor bool
}

// NewQuery returns the query of a list request without parameters: the
// first page of DefaultLimit rows in key order.
func NewQuery() *ListQuery {
	return &ListQuery{Limit: DefaultLimit, IncludeLimit: DefaultIncludeLimit}
}

// Where adds an equality filter on the column named name; generated code
// uses it for the parent's key in nested routes.
func (l *List) Where(q *ListQuery, name string, value any) {
	i, ok := l.Column(name)
	if !ok {
		panic("runtime: " + name + " is not a column of the list")
	}
	q.Filters = append(q.Filters, Filter{Column: i, Op: OpEq, Value: value})
}

// Parse reads the query string of a list request: filters, sort, cursor,
// offset, limit, count and include. Every problem is reported at once in a
// 422 *Problem located at ["query", parameter]; a query string that does
// not decode is a 400.
func (l *List) Parse(r *http.Request) (*ListQuery, error) {
	l.init()
	relations := make([]string, len(l.Relations))
	for i, rel := range l.Relations {
		relations[i] = rel.Name
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, NewProblem(http.StatusBadRequest, "the query string does not decode: "+err.Error())
	}
	q := NewQuery()
	var errs FieldErrors
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names) // problems in a stable order
	var cursor string
	for _, name := range names {
		vals := values[name]
		if ReservedParam(name) {
			if len(vals) > 1 {
				errs.Add(CodeType, "must be given once", "query", name)
				continue
			}
			v := vals[0]
			switch name {
			case "limit":
				q.Limit = intParam(&errs, name, v, 1, MaxLimit)
			case "offset":
				q.Offset = intParam(&errs, name, v, 0, MaxOffset)
			case "include_limit":
				q.IncludeLimit = intParam(&errs, name, v, 1, MaxIncludeLimit)
			case "cursor":
				cursor = v
				q.cursor = true
			case "sort":
				l.parseSort(q, &errs, v)
			case "count":
				switch v {
				case "exact":
					q.Count = CountExact
				case "estimated":
					q.Count = CountEstimated
				default:
					errs.Add(CodeEnum, "must be exact or estimated", "query", name)
				}
			case "include":
				q.Include = parseInclude(&errs, v, relations)
			}
			continue
		}
		l.parseFilter(q, &errs, name, vals)
	}
	if q.cursor {
		switch {
		case q.Offset > 0 || values.Has("offset"):
			errs.Add(CodeType, "cannot be combined with cursor", "query", "offset")
		case !hasErrorAt(errs, "sort"):
			if msg := l.decodeCursor(q, cursor); msg != "" {
				errs.Add(CodeInvalidCursor, msg, "query", "cursor")
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

func hasErrorAt(errs FieldErrors, param string) bool {
	for _, e := range errs {
		if len(e.Loc) == 2 && e.Loc[1] == param {
			return true
		}
	}
	return false
}

func intParam(errs *FieldErrors, name, v string, min, max int) int {
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		errs.Add(CodeType, "must be an integer", "query", name)
	case n < min:
		errs.Add(CodeMinimum, fmt.Sprintf("must be at least %d", min), "query", name)
	case n > max:
		errs.Add(CodeMaximum, fmt.Sprintf("must be at most %d", max), "query", name)
	}
	return n
}

func (l *List) parseSort(q *ListQuery, errs *FieldErrors, v string) {
	if v == "" {
		return
	}
	seen := map[int]bool{}
	for part := range strings.SplitSeq(v, ",") {
		name, desc := strings.CutPrefix(part, "-")
		i, ok := l.byName[name]
		switch {
		case !ok || !l.Columns[i].Sort:
			errs.Add(CodeEnum, fmt.Sprintf("%q is not a column the list sorts by; sortable: %s", name, l.sortable()), "query", "sort")
			return
		case seen[i]:
			errs.Add(CodeType, fmt.Sprintf("%q is given twice", name), "query", "sort")
			return
		}
		seen[i] = true
		q.Sort = append(q.Sort, SortKey{Column: i, Desc: desc})
	}
	q.sort = v
}

func (l *List) sortable() string {
	var names []string
	for _, c := range l.Columns {
		if c.Sort {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

func parseInclude(errs *FieldErrors, v string, relations []string) []string {
	var out []string
	for name := range strings.SplitSeq(v, ",") {
		switch {
		case !slices.Contains(relations, name):
			if len(relations) == 0 {
				errs.Add(CodeEnum, fmt.Sprintf("%q is not a relation: this resource has none", name), "query", "include")
			} else {
				errs.Add(CodeEnum, fmt.Sprintf("%q is not a relation; relations: %s", name, strings.Join(relations, ", ")), "query", "include")
			}
			return nil
		case slices.Contains(out, name):
			errs.Add(CodeType, fmt.Sprintf("%q is given twice", name), "query", "include")
			return nil
		}
		out = append(out, name)
	}
	return out
}

// parseFilter reads the parameter name: a column, or column[op].
func (l *List) parseFilter(q *ListQuery, errs *FieldErrors, name string, vals []string) {
	col, opName, ok := l.filterOf(name)
	if !ok {
		errs.Add(CodeUnknownField, "is not a filter of this list", "query", name)
		return
	}
	c := &l.Columns[col]
	op := numOps // no such operator
	if i := slices.Index(opNames[:], opName); i >= 0 {
		op = Op(i) // #nosec G115 -- an index of opNames, below numOps
	}
	if op == numOps || !c.Ops.Has(op) {
		var ops []string
		for _, o := range c.Ops.List() {
			ops = append(ops, o.String())
		}
		errs.Add(CodeUnknownField, fmt.Sprintf("%s has no operator %q; it has %s", c.Name, opName, strings.Join(ops, ", ")), "query", name)
		return
	}
	if !op.many() && len(vals) > 1 {
		errs.Add(CodeType, "must be given once (in takes repeated values)", "query", name)
		return
	}
	f := Filter{Column: col, Op: op}
	switch {
	case op == OpIs:
		switch vals[0] {
		case "null":
			f.Value = true
		case "not_null":
			f.Value = false
		default:
			errs.Add(CodeEnum, "must be null or not_null", "query", name)
			return
		}
	case op.many() && c.Value.parseAll != nil:
		v, bad, perrs := c.Value.parseAll(vals)
		for i, at := range bad {
			msg := perrs[i].Error()
			if len(vals) > 1 {
				msg = fmt.Sprintf("value %d: %s", at+1, msg)
			}
			errs.Add(CodeType, msg, "query", name)
		}
		if len(bad) > 0 {
			return
		}
		f.Value = v
	default:
		v, err := c.Value.parse(vals[0])
		if err != nil {
			errs.Add(CodeType, err.Error(), "query", name)
			return
		}
		if s, ok := v.(string); ok && (op == OpLike || op == OpIlike) && danglingEscape(s) {
			// PostgreSQL refuses such a pattern, but only once a row gets
			// as far as its end.
			errs.Add(CodeFormat, `must not end with the escape character \ (write \\ for a backslash)`, "query", name)
			return
		}
		f.Value = v
	}
	q.Filters = append(q.Filters, f)
}

// danglingEscape reports whether a LIKE pattern ends with an escape
// character (a backslash) that escapes nothing.
func danglingEscape(pattern string) bool {
	n := 0
	for n < len(pattern) && pattern[len(pattern)-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// filterOf splits a filter parameter into its column and operator. A
// column named like a list parameter has only its [eq] form.
func (l *List) filterOf(name string) (col int, op string, ok bool) {
	if i := strings.LastIndexByte(name, '['); i > 0 && strings.HasSuffix(name, "]") {
		if col, ok := l.byName[name[:i]]; ok {
			return col, name[i+1 : len(name)-1], true
		}
	}
	if col, ok := l.byName[name]; ok && !ReservedParam(name) {
		return col, "eq", true
	}
	return 0, "", false
}
