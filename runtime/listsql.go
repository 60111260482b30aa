package runtime

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// RowSource runs the statements of a list for FetchFrom: each engine
// adapter implements it over its driver, with Row the type its generated
// scan functions take.
type RowSource[Row any] interface {
	// Each runs sql and calls fn with each row it returns, in order, until
	// fn fails; the rows are released before Each returns.
	Each(ctx context.Context, sql string, args []any, fn func(Row) error) error
	// One runs sql and scans its first row into dest.
	One(ctx context.Context, sql string, args []any, dest ...any) error
	// Extend returns row scanning extra targets after the scan's own: the
	// values of embedded relations.
	Extend(row Row, extra []any) Row
	// Dialect is how the engine's SQL differs from PostgreSQL's; nil:
	// not at all.
	Dialect() *Dialect
}

// Dialect is how an engine's SQL differs from PostgreSQL's in the lists
// the runtime writes. Engine adapters give theirs through their
// RowSource; nil is PostgreSQL's.
type Dialect struct {
	// InList writes an in filter as IN ($1, $2, ...), a parameter per
	// value, where PostgreSQL takes an array (= ANY($1)).
	InList bool
	// GlobLike writes like as GLOB with the pattern translated (a
	// case-sensitive LIKE), and ilike as LIKE with a backslash escape
	// (SQLite's LIKE folds ASCII letters only).
	GlobLike bool
	// NullsOrder writes PostgreSQL's default order of NULLs, last
	// ascending and first descending, where the engine's default differs.
	NullsOrder bool
	// NoEstimate counts exactly when a list asks for an estimate: the
	// engine's planner gives none.
	NoEstimate bool
}

// FetchFrom runs the list query q over l on src and returns the page: at
// most q.Limit rows, with the cursor of the next page when there is one
// and the total when q asks for it. scan reads a row; value appends the
// JSON value of a row's column (by index into l.Columns) to a cursor.
// Engine adapters wrap it as their Fetch.
func FetchFrom[Row any, R any, P interface {
	*R
	Marshaler
}](ctx context.Context, src RowSource[Row], l *List, q *ListQuery, scan func(Row, *R) error, value func(*R, []byte, int) []byte) (Page[R], error) {
	page := Page[R]{Append: func(r *R, b []byte) []byte { return P(r).AppendJSON(b) }}
	rels := make([]*Relation, len(q.Include))
	for i, name := range q.Include {
		rel, err := l.relation(name)
		if err != nil {
			return page, err
		}
		rels[i] = rel
	}
	d := src.Dialect()
	sql, args := l.selectSQL(q, d)
	items := make([]R, 0, min(q.Limit+1, 64))
	var embeds []embedded
	err := src.Each(ctx, sql, args, func(row Row) error {
		items = append(items, *new(R))
		if len(q.Include) > 0 {
			e := embedded{names: q.Include}
			extra := make([]any, len(q.Include))
			for i, rel := range rels {
				var write func([]byte) []byte
				extra[i], write = rel.Embed()
				e.writes = append(e.writes, write)
			}
			embeds = append(embeds, e)
			row = src.Extend(row, extra)
		}
		return scan(row, &items[len(items)-1])
	})
	if err != nil {
		return page, err
	}
	if len(items) > q.Limit {
		items = items[:q.Limit]
		last := &items[len(items)-1]
		page.Next = l.nextCursor(q, func(b []byte, col int) []byte { return value(last, b, col) })
	}
	page.Items = items
	page.embeds = embeds
	switch {
	case q.Count == CountExact, q.Count == CountEstimated && d != nil && d.NoEstimate:
		sql, args := l.countSQL(q, d)
		var n int64
		if err := src.One(ctx, sql, args, &n); err != nil {
			return page, err
		}
		if q.Count == CountExact {
			page.Total = &n
		} else {
			page.TotalEstimate = &n // an exact count is the best estimate
		}
	case q.Count == CountEstimated:
		sql, args := l.EstimateSQL(q)
		var plan []byte
		if err := src.One(ctx, sql, args, &plan); err != nil {
			return page, err
		}
		n, err := planRows(plan)
		if err != nil {
			return page, err
		}
		page.TotalEstimate = &n
	}
	return page, nil
}

// planRows reads the planner's row estimate from EXPLAIN (FORMAT JSON).
func planRows(plan []byte) (int64, error) {
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(plan, &out); err != nil || len(out) != 1 {
		return 0, fmt.Errorf("runtime: reading the planner's estimate: %v", err)
	}
	return int64(out[0].Plan.Rows), nil
}

// sqlBuilder collects SQL text and the values of its placeholders.
type sqlBuilder struct {
	strings.Builder
	args []any
	d    *Dialect
}

// WriteString appends v. A strings.Builder never fails: the error its
// WriteString returns (always nil) is dropped here, once.
func (s *sqlBuilder) WriteString(v string) { _, _ = s.Builder.WriteString(v) }

// param binds v and writes its placeholder, followed by cast.
func (s *sqlBuilder) param(v any, cast string) {
	s.args = append(s.args, v)
	s.WriteString("$")
	s.WriteString(strconv.Itoa(len(s.args)))
	s.WriteString(cast)
}

// SelectSQL returns the SELECT of a page of q: the filters, the position
// after the cursor, the order with the key as tiebreaker, and a limit one
// more than q.Limit, which tells whether another page follows.
//
//	SELECT cols FROM table WHERE filters AND after-cursor ORDER BY sort, key LIMIT $n [OFFSET $m]
func (l *List) SelectSQL(q *ListQuery) (string, []any) { return l.selectSQL(q, nil) }

func (l *List) selectSQL(q *ListQuery, d *Dialect) (string, []any) {
	l.init()
	s := sqlBuilder{d: d}
	s.Grow(128 + len(l.Select))
	s.WriteString("SELECT ")
	s.WriteString(l.Select)
	if len(q.Include) > 0 {
		limit := ""
		for _, name := range q.Include {
			rel, err := l.relation(name)
			if err != nil {
				continue // Fetch reports it
			}
			s.WriteString(", ")
			if !rel.Many {
				s.WriteString(rel.SQL)
				continue
			}
			if limit == "" {
				s.args = append(s.args, q.IncludeLimit)
				limit = "$" + strconv.Itoa(len(s.args))
			}
			at := strings.LastIndex(rel.SQL, "%s")
			s.WriteString(rel.SQL[:at] + limit + rel.SQL[at+2:])
		}
	}
	s.WriteString(" FROM ")
	s.WriteString(l.Table)
	order := l.order(q)
	conds := l.where(&s, q)
	if q.after != nil {
		if conds > 0 {
			s.WriteString(" AND ")
		} else {
			s.WriteString(" WHERE ")
		}
		l.after(&s, order, q.after)
	}
	s.WriteString(" ORDER BY ")
	for i, k := range order {
		if i > 0 {
			s.WriteString(", ")
		}
		// Qualified: a bare name in ORDER BY means the output column of
		// that name first, which for enums is their text.
		s.WriteString(l.Table)
		s.WriteString(".")
		s.WriteString(l.Columns[k.Column].SQL)
		if k.Desc {
			s.WriteString(" DESC")
		}
		if d != nil && d.NullsOrder && l.Columns[k.Column].Nullable {
			if k.Desc {
				s.WriteString(" NULLS FIRST")
			} else {
				s.WriteString(" NULLS LAST")
			}
		}
	}
	s.WriteString(" LIMIT ")
	s.param(q.Limit+1, "")
	if q.Offset > 0 {
		s.WriteString(" OFFSET ")
		s.param(q.Offset, "")
	}
	return s.String(), s.args
}

// CountSQL returns the count of the rows q's filters match.
func (l *List) CountSQL(q *ListQuery) (string, []any) { return l.countSQL(q, nil) }

func (l *List) countSQL(q *ListQuery, d *Dialect) (string, []any) {
	l.init()
	s := sqlBuilder{d: d}
	s.WriteString("SELECT count(*) FROM ")
	s.WriteString(l.Table)
	l.where(&s, q)
	return s.String(), s.args
}

// EstimateSQL returns the EXPLAIN whose plan estimates that count.
func (l *List) EstimateSQL(q *ListQuery) (string, []any) {
	l.init()
	var s sqlBuilder
	s.WriteString("EXPLAIN (FORMAT JSON) SELECT 1 FROM ")
	s.WriteString(l.Table)
	l.where(&s, q)
	return s.String(), s.args
}

// where writes the WHERE clause of q's filters, if any, and returns how
// many conditions it wrote.
func (l *List) where(s *sqlBuilder, q *ListQuery) int {
	for i, f := range q.Filters {
		if i == 0 {
			s.WriteString(" WHERE ")
		} else {
			s.WriteString(" AND ")
		}
		c := &l.Columns[f.Column]
		s.WriteString(c.SQL)
		switch f.Op {
		case OpIs:
			if f.Value == true {
				s.WriteString(" IS NULL")
			} else {
				s.WriteString(" IS NOT NULL")
			}
			continue
		case OpIn:
			if s.d != nil && s.d.InList {
				s.inList(f.Value, c.Value.cast)
				continue
			}
			s.WriteString(" = ANY(")
			s.param(f.Value, c.Value.arrayCast)
			s.WriteString(")")
			continue
		case OpLike, OpIlike:
			if s.d != nil && s.d.GlobLike {
				s.globLike(f.Op, f.Value)
				continue
			}
		}
		s.WriteString(opSQL[f.Op])
		if c.Value.elems {
			s.param(f.Value, c.Value.arrayCast)
		} else {
			s.param(f.Value, c.Value.cast)
		}
	}
	return len(q.Filters)
}

var opSQL = [numOps]string{
	OpEq: " = ", OpNe: " <> ", OpLt: " < ", OpLte: " <= ", OpGt: " > ", OpGte: " >= ",
	OpLike: " LIKE ", OpIlike: " ILIKE ", OpContains: " @> ", OpOverlaps: " && ",
}

// order is the full order of a list: the requested sort, then the key
// columns it leaves out; without a key, every sortable column, which is as
// stable as rows without a key can be.
func (l *List) order(q *ListQuery) []SortKey {
	order := make([]SortKey, len(q.Sort), len(q.Sort)+len(l.key))
	copy(order, q.Sort)
	tiebreak := l.key
	if len(tiebreak) == 0 {
		for i, c := range l.Columns {
			if c.Sort {
				tiebreak = append(tiebreak, i)
			}
		}
	}
outer:
	for _, k := range tiebreak {
		for _, s := range q.Sort {
			if s.Column == k {
				continue outer
			}
		}
		order = append(order, SortKey{Column: k})
	}
	return order
}

// after writes the condition that a row comes after the cursor's values
// in order. Nulls sort last ascending and first descending, as PostgreSQL
// sorts them by default, so that its indexes serve both directions.
func (l *List) after(s *sqlBuilder, order []SortKey, vals []any) {
	// The common case, NOT NULL columns in one direction, is a row
	// comparison, which an index on the columns answers directly.
	simple := true
	for i, k := range order {
		if l.Columns[k.Column].Nullable || vals[i] == nil || k.Desc != order[0].Desc {
			simple = false
			break
		}
	}
	if simple {
		s.WriteString("(")
		for i, k := range order {
			if i > 0 {
				s.WriteString(", ")
			}
			s.WriteString(l.Columns[k.Column].SQL)
		}
		if order[0].Desc {
			s.WriteString(") < (")
		} else {
			s.WriteString(") > (")
		}
		for i, k := range order {
			if i > 0 {
				s.WriteString(", ")
			}
			s.param(vals[i], l.Columns[k.Column].Value.cast)
		}
		s.WriteString(")")
		return
	}
	// Otherwise: (c1 after v1) OR (c1 = v1 AND c2 after v2) OR ..., each
	// value bound once.
	params := make([]string, len(order))
	for i, k := range order {
		if vals[i] != nil {
			s.args = append(s.args, vals[i])
			params[i] = "$" + strconv.Itoa(len(s.args)) + l.Columns[k.Column].Value.cast
		}
	}
	s.WriteString("(")
	n := 0
	for i, k := range order {
		c := &l.Columns[k.Column]
		var later string
		switch {
		case vals[i] == nil && !k.Desc:
			continue // nothing sorts after NULL ascending
		case vals[i] == nil:
			later = c.SQL + " IS NOT NULL"
		case k.Desc:
			later = c.SQL + " < " + params[i]
		case c.Nullable:
			later = "(" + c.SQL + " > " + params[i] + " OR " + c.SQL + " IS NULL)"
		default:
			later = c.SQL + " > " + params[i]
		}
		if n > 0 {
			s.WriteString(" OR ")
		}
		n++
		s.WriteString("(")
		for j := range i {
			cj := &l.Columns[order[j].Column]
			s.WriteString(cj.SQL)
			if vals[j] == nil {
				s.WriteString(" IS NULL AND ")
			} else {
				s.WriteString(" = ")
				s.WriteString(params[j])
				s.WriteString(" AND ")
			}
		}
		s.WriteString(later)
		s.WriteString(")")
	}
	if n == 0 {
		s.WriteString("false")
	}
	s.WriteString(")")
}

// A cursor is base64url (unpadded) of a JSON object: the sort it belongs
// to and either the values of the last row's order columns ("after") or,
// for lists without a key, the offset of the next page.

// nextCursor returns the cursor of the page after the one whose last row
// value reads from.
func (l *List) nextCursor(q *ListQuery, value func([]byte, int) []byte) string {
	b := make([]byte, 0, 128)
	b = append(b, `{"sort":`...)
	b = AppendString(b, q.sort)
	if len(l.key) == 0 {
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, int64(q.Offset+q.Limit), 10)
	} else {
		b = append(b, `,"after":[`...)
		for i, k := range l.order(q) {
			if i > 0 {
				b = append(b, ',')
			}
			b = value(b, k.Column)
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor into q, or says why it is not one of q's.
func (l *List) decodeCursor(q *ListQuery, cursor string) string {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) == 0 {
		return "is not a cursor this API issued"
	}
	// The sort first, so that a cursor of another sort says so rather
	// than fail on values of other columns.
	var sort string
	hasSort := false
	d := NewDecoder(raw)
	d.Object(func(key string) {
		if key == "sort" {
			hasSort = d.String(&sort)
		}
	})
	switch {
	case d.Finish() != nil || !hasSort:
		return "is not a cursor this API issued"
	case sort != q.sort && sort == "":
		return "belongs to the default order, not sort=" + q.sort
	case sort != q.sort:
		return "belongs to sort=" + sort + ", not to this request's sort"
	}
	order := l.order(q)
	var (
		after          []any
		offset         int64
		hasAfter, hasN bool
	)
	d = NewDecoder(raw)
	d.Object(func(key string) {
		switch key {
		case "sort":
			d.Skip()
		case "after":
			hasAfter = d.Array(func(i int) {
				if i >= len(order) {
					d.Fail(CodeType, "too many values")
					return
				}
				c := &l.Columns[order[i].Column]
				if d.Null() {
					if !c.Nullable {
						d.Fail(CodeType, "null in a NOT NULL column")
					}
					after = append(after, nil)
					return
				}
				if c.Value.read == nil {
					d.Fail(CodeType, "not a sort column")
					return
				}
				v, ok := c.Value.read(d)
				if e, isEnum := v.(interface{ Valid() bool }); ok && isEnum && !e.Valid() {
					d.Fail(CodeEnum, "not a value of the enum")
				}
				after = append(after, v)
			})
		case "offset":
			hasN = d.Int64(&offset)
		default:
			d.Unknown()
		}
	})
	switch {
	case d.Finish() != nil:
		return "is not a cursor this API issued"
	case len(l.key) == 0 && hasN && !hasAfter && offset >= 0 && offset <= 1<<40:
		q.Offset = int(offset)
		return ""
	case len(l.key) > 0 && hasAfter && !hasN && len(after) == len(order):
		q.after = after
		return ""
	}
	return "is not a cursor this API issued"
}

// inList writes " IN ($1, $2, ...)" with a parameter per element of the
// slice vals; an empty list matches nothing.
func (s *sqlBuilder) inList(vals any, cast string) {
	v := reflect.ValueOf(vals)
	if v.Kind() != reflect.Slice || v.Len() == 0 {
		s.WriteString(" IN (NULL)")
		return
	}
	s.WriteString(" IN (")
	for i := range v.Len() {
		if i > 0 {
			s.WriteString(", ")
		}
		s.param(v.Index(i).Interface(), cast)
	}
	s.WriteString(")")
}

// globLike writes like as " GLOB $n" with the pattern translated, and
// ilike as " LIKE $n ESCAPE '\'".
func (s *sqlBuilder) globLike(op Op, pattern any) {
	text := reflect.ValueOf(pattern).String()
	if op == OpIlike {
		s.WriteString(" LIKE ")
		s.param(text, "")
		s.WriteString(` ESCAPE '\'`)
		return
	}
	s.WriteString(" GLOB ")
	s.param(likeToGlob(text), "")
}

// likeToGlob translates a LIKE pattern (% any text, _ one character, \
// escaping the next) into a GLOB pattern that matches the same text, case
// included: * and ?, with GLOB's own wildcards bracketed. A trailing
// backslash stands for itself.
func likeToGlob(p string) string {
	var b strings.Builder
	escaped := false
	for _, r := range p {
		switch {
		case escaped:
			escaped = false
			writeGlobLiteral(&b, r)
		case r == '\\':
			escaped = true
		case r == '%':
			b.WriteByte('*')
		case r == '_':
			b.WriteByte('?')
		default:
			writeGlobLiteral(&b, r)
		}
	}
	if escaped {
		b.WriteByte('\\')
	}
	return b.String()
}

func writeGlobLiteral(b *strings.Builder, r rune) {
	switch r {
	case '*', '?', '[':
		b.WriteByte('[')
		b.WriteRune(r)
		b.WriteByte(']')
	default:
		b.WriteRune(r)
	}
}
