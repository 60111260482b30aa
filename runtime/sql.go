package runtime

import (
	"slices"
	"strconv"
	"strings"
)

// Insert builds an INSERT of one row or many, each with the columns its
// request carries; the columns a row leaves out get their defaults.
// Column names come quoted from generated code; values are always bound
// parameters.
type Insert struct {
	rows [][]insertValue
	args []any
	// conflict is the key of an upsert; merged are the columns it updates.
	conflict []string
}

type insertValue struct {
	column, cast string
	arg          int    // the value's placeholder number
	sql          string // the value as SQL, in place of a placeholder
}

// carried reports whether the value is the request's (Add), not the
// column's default (AddSQL).
func (v insertValue) carried() bool { return v.sql == "" }

// Row starts the next row of a multi-row INSERT.
func (q *Insert) Row() {
	// Rows of one request type carry about as many columns each: room
	// for as many as the last row, or for a typical table's first.
	size := 16
	if n := len(q.rows); n > 0 {
		size = len(q.rows[n-1])
	}
	if q.args == nil {
		q.args = make([]any, 0, size)
	}
	q.rows = append(q.rows, make([]insertValue, 0, size))
}

// Add writes value into column of the current row; cast follows its $n
// placeholder (such as ::text::public.mood) when PostgreSQL needs the type
// spelled out.
func (q *Insert) Add(column, cast string, value any) {
	if len(q.rows) == 0 {
		q.Row()
	}
	q.args = append(q.args, value)
	last := &q.rows[len(q.rows)-1]
	*last = append(*last, insertValue{column: column, cast: cast, arg: len(q.args)})
}

// AddSQL writes the SQL expression expr into column of the current row:
// the column's default, for engines whose INSERT has no DEFAULT. expr
// comes from generated code, never from a request. An upsert leaves such
// columns of an existing row as they are.
func (q *Insert) AddSQL(column, expr string) {
	if len(q.rows) == 0 {
		q.Row()
	}
	last := &q.rows[len(q.rows)-1]
	*last = append(*last, insertValue{column: column, sql: expr})
}

// OnConflict makes the INSERT an upsert: a row whose key columns match an
// existing row's updates that row's columns the request carries instead.
// SQL then returns (xmax = 0), true when the row was inserted, before the
// row's columns.
func (q *Insert) OnConflict(key ...string) { q.conflict = key }

// SameColumns checks that the rows of a multi-row upsert carry the same
// columns: ON CONFLICT cannot tell one row from another, so a row that
// leaves out a column another row sets would write the column's default
// over the existing value. Each column a row lacks is a 422 at
// ["body", row, column].
func (q *Insert) SameColumns() error {
	if len(q.rows) < 2 {
		return nil
	}
	var cols []string
	for _, row := range q.rows {
		for _, v := range row {
			if v.carried() && !slices.Contains(cols, v.column) {
				cols = append(cols, v.column)
			}
		}
	}
	var errs FieldErrors
	for i, row := range q.rows {
		for _, c := range cols {
			if !slices.ContainsFunc(row, func(v insertValue) bool { return v.column == c && v.carried() }) {
				name := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(c, `"`), `"`), `""`, `"`)
				errs.Add(CodeRequired, "other rows of this upsert carry it, and the rows of an upsert must carry the same fields", "body", i, name)
			}
		}
	}
	return errs.Err()
}

// SQL returns INSERT INTO table (...) VALUES (...), ... RETURNING
// returning. Rows that leave out a column another row sets write DEFAULT
// there; with no column set at all, every column gets its default.
func (q *Insert) SQL(table, returning string) string { return q.sql(table, returning, true) }

// UnflaggedSQL is SQL without the leading "inserted" of an upsert, for
// engines that tell inserted rows apart another way (sqlite.Upsert).
func (q *Insert) UnflaggedSQL(table, returning string) string { return q.sql(table, returning, false) }

func (q *Insert) sql(table, returning string, flag bool) string {
	cols := q.columns()
	var b strings.Builder
	b.Grow(len("INSERT INTO  () VALUES  RETURNING ") + len(table) + len(returning) + 16*len(q.args) + 24*len(cols))
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	switch {
	case len(cols) == 0 && len(q.rows) <= 1:
		b.WriteString(" DEFAULT VALUES")
	case len(cols) == 0:
		// Several rows of defaults only: a select of no columns.
		b.WriteString(" SELECT FROM generate_series(1, ")
		b.WriteString(strconv.Itoa(len(q.rows)))
		b.WriteString(")")
	default:
		b.WriteString(" (")
		b.WriteString(strings.Join(cols, ", "))
		b.WriteString(") VALUES ")
		for i, row := range q.rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, c := range cols {
				if j > 0 {
					b.WriteString(", ")
				}
				v, ok := valueOf(row, j, c)
				switch {
				case !ok:
					b.WriteString("DEFAULT")
					continue
				case v.sql != "":
					b.WriteString(v.sql)
					continue
				}
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(v.arg))
				b.WriteString(v.cast)
			}
			b.WriteByte(')')
		}
	}
	if q.conflict != nil {
		b.WriteString(" ON CONFLICT (")
		b.WriteString(strings.Join(q.conflict, ", "))
		b.WriteString(") DO UPDATE SET ")
		var sets []string
		for _, c := range cols {
			// Columns the request left out (their defaults, written by
			// AddSQL) keep their values in a row that exists.
			if v, ok := valueOf(q.rows[0], 0, c); !slices.Contains(q.conflict, c) && (!ok || v.carried()) {
				sets = append(sets, c+" = EXCLUDED."+c)
			}
		}
		if len(sets) == 0 {
			// Only the key was given: a no-op update, so that RETURNING
			// still returns the existing row.
			sets = append(sets, q.conflict[0]+" = EXCLUDED."+q.conflict[0])
		}
		b.WriteString(strings.Join(sets, ", "))
		if flag {
			b.WriteString(" RETURNING (xmax = 0), ")
		} else {
			b.WriteString(" RETURNING ")
		}
	} else {
		b.WriteString(" RETURNING ")
	}
	b.WriteString(returning)
	return b.String()
}

// columns returns the columns of the rows, each once, in the order the
// rows first set them.
func (q *Insert) columns() []string {
	if len(q.rows) == 0 {
		return nil
	}
	cols := make([]string, len(q.rows[0]))
	for j, v := range q.rows[0] {
		cols[j] = v.column // a row sets each column once
	}
	for _, row := range q.rows[1:] {
		for j, v := range row {
			// Rows usually set the same columns in the same order.
			if j < len(cols) && cols[j] == v.column || slices.Contains(cols, v.column) {
				continue
			}
			cols = append(cols, v.column)
		}
	}
	return cols
}

// valueOf returns the value row sets in column c, the j-th column of the
// INSERT.
func valueOf(row []insertValue, j int, c string) (insertValue, bool) {
	if j < len(row) && row[j].column == c {
		return row[j], true
	}
	if k := slices.IndexFunc(row, func(v insertValue) bool { return v.column == c }); k >= 0 {
		return row[k], true
	}
	return insertValue{}, false
}

// Args returns the values in placeholder order.
func (q *Insert) Args() []any { return q.args }

// Rows is how many rows the INSERT writes.
func (q *Insert) Rows() int { return max(len(q.rows), 1) }

// Update builds an UPDATE of the columns a request carries, for one row.
type Update struct {
	sets, where []string
	args        []any
}

// Set writes value into column.
func (q *Update) Set(column, cast string, value any) {
	q.args = append(q.args, value)
	q.sets = append(q.sets, column+" = $"+strconv.Itoa(len(q.args))+cast)
}

// SetSQL writes the SQL expression expr into column: its default, for
// engines whose UPDATE has no DEFAULT. expr comes from generated code,
// never from a request.
func (q *Update) SetSQL(column, expr string) {
	q.sets = append(q.sets, column+" = "+expr)
}

// SetDefault resets column to its default.
func (q *Update) SetDefault(column string) {
	q.sets = append(q.sets, column+" = DEFAULT")
}

// Where restricts the update to rows whose column equals value.
func (q *Update) Where(column, cast string, value any) {
	q.args = append(q.args, value)
	q.where = append(q.where, column+" = $"+strconv.Itoa(len(q.args))+cast)
}

// SQL returns UPDATE table SET ... WHERE ... RETURNING returning. With
// nothing to set it reads the row instead, so a request that changes
// nothing still answers with the row, or not found.
func (q *Update) SQL(table, returning string) string {
	var b strings.Builder
	if len(q.sets) == 0 {
		b.WriteString("SELECT ")
		b.WriteString(returning)
		b.WriteString(" FROM ")
		b.WriteString(table)
	} else {
		b.WriteString("UPDATE ")
		b.WriteString(table)
		b.WriteString(" SET ")
		b.WriteString(strings.Join(q.sets, ", "))
	}
	if len(q.where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(q.where, " AND "))
	}
	if len(q.sets) > 0 {
		b.WriteString(" RETURNING ")
		b.WriteString(returning)
	}
	return b.String()
}

// Args returns the values in placeholder order.
func (q *Update) Args() []any { return q.args }

// Only returns the INSERT of the i-th row alone, as an upsert when q is
// one, with the row's values: for engines that upsert a row at a time.
func (q *Insert) Only(i int) *Insert {
	row := q.rows[i]
	one := &Insert{conflict: q.conflict, rows: [][]insertValue{make([]insertValue, len(row))}}
	for j, v := range row {
		if v.carried() {
			one.args = append(one.args, q.args[v.arg-1])
			v.arg = len(one.args)
		}
		one.rows[0][j] = v
	}
	return one
}

// ExistsSQL returns a query telling whether a row with the conflict key
// of a one-row upsert exists, and false when the row leaves a key column
// out (it cannot conflict then).
func (q *Insert) ExistsSQL(table string) (string, []any, bool) {
	var b strings.Builder
	b.WriteString("SELECT EXISTS (SELECT 1 FROM ")
	b.WriteString(table)
	b.WriteString(" WHERE ")
	var args []any
	for i, c := range q.conflict {
		v, ok := valueOf(q.rows[0], 0, c)
		if !ok || !v.carried() {
			return "", nil, false
		}
		if i > 0 {
			b.WriteString(" AND ")
		}
		args = append(args, q.args[v.arg-1])
		b.WriteString(c)
		b.WriteString(" = $")
		b.WriteString(strconv.Itoa(len(args)))
		b.WriteString(v.cast)
	}
	b.WriteString(")")
	return b.String(), args, true
}

// Key returns the values of the conflict key of the i-th row (nil for a
// column it leaves out), to tell rows with the same key apart.
func (q *Insert) Key(i int) []any {
	key := make([]any, len(q.conflict))
	for k, c := range q.conflict {
		if v, ok := valueOf(q.rows[i], 0, c); ok && v.carried() {
			key[k] = q.args[v.arg-1]
		}
	}
	return key
}
