package runtime

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Querier runs SQL: a *pgxpool.Pool, a *pgx.Conn, a pgx.Tx or a generated
// DBTX.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Fetch runs the list query q over l and returns the page: at most
// q.Limit rows, with the cursor of the next page when there is one and
// the total when q asks for it. scan reads a row; value appends the JSON
// value of a row's column (by index into l.Columns) to a cursor.
func Fetch[R any, P interface {
	*R
	Marshaler
}](ctx context.Context, db Querier, l *List, q *ListQuery, scan func(pgx.Row, *R) error, value func(*R, []byte, int) []byte) (Page[R], error) {
	page := Page[R]{Append: func(r *R, b []byte) []byte { return P(r).AppendJSON(b) }}
	rels := make([]*Relation, len(q.Include))
	for i, name := range q.Include {
		rel, err := l.relation(name)
		if err != nil {
			return page, err
		}
		rels[i] = rel
	}
	sql, args := l.SelectSQL(q)
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return page, err
	}
	items := make([]R, 0, min(q.Limit+1, 64))
	var embeds []embedded
	scanner := ScanRows(rows)
	for rows.Next() {
		items = append(items, *new(R))
		row := scanner
		if len(q.Include) > 0 {
			e := embedded{names: q.Include}
			extra := make([]any, len(q.Include))
			for i, rel := range rels {
				var write func([]byte) []byte
				extra[i], write = rel.Embed()
				e.writes = append(e.writes, write)
			}
			embeds = append(embeds, e)
			row = withTargets{row: scanner, extra: extra}
		}
		if err := scan(row, &items[len(items)-1]); err != nil {
			rows.Close()
			return page, err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, err
	}
	if len(items) > q.Limit {
		items = items[:q.Limit]
		last := &items[len(items)-1]
		page.Next = l.nextCursor(q, func(b []byte, col int) []byte { return value(last, b, col) })
	}
	page.Items = items
	page.embeds = embeds
	switch q.Count {
	case CountExact:
		sql, args := l.CountSQL(q)
		var n int64
		if err := db.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			return page, err
		}
		page.Total = &n
	case CountEstimated:
		sql, args := l.EstimateSQL(q)
		var plan []byte
		if err := db.QueryRow(ctx, sql, args...).Scan(&plan); err != nil {
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
func (l *List) SelectSQL(q *ListQuery) (string, []any) {
	l.init()
	var s sqlBuilder
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
func (l *List) CountSQL(q *ListQuery) (string, []any) {
	l.init()
	var s sqlBuilder
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
			s.WriteString(" = ANY(")
			s.param(f.Value, c.Value.arrayCast)
			s.WriteString(")")
			continue
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
