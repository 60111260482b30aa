package runtime

import (
	"strconv"
	"strings"
)

// Insert builds an INSERT of the columns a request carries; the columns it
// leaves out get their defaults. Column names come quoted from generated
// code; values are always bound parameters.
type Insert struct {
	cols, vals []string
	args       []any
}

// Add writes value into column; cast follows its $n placeholder (such as
// ::text::public.mood) when PostgreSQL needs the type spelled out.
func (q *Insert) Add(column, cast string, value any) {
	q.args = append(q.args, value)
	q.cols = append(q.cols, column)
	q.vals = append(q.vals, "$"+strconv.Itoa(len(q.args))+cast)
}

// SQL returns INSERT INTO table (...) VALUES (...) RETURNING returning, or
// DEFAULT VALUES when no column is set.
func (q *Insert) SQL(table, returning string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	if len(q.cols) == 0 {
		b.WriteString(" DEFAULT VALUES")
	} else {
		b.WriteString(" (")
		b.WriteString(strings.Join(q.cols, ", "))
		b.WriteString(") VALUES (")
		b.WriteString(strings.Join(q.vals, ", "))
		b.WriteString(")")
	}
	b.WriteString(" RETURNING ")
	b.WriteString(returning)
	return b.String()
}

// Args returns the values in placeholder order.
func (q *Insert) Args() []any { return q.args }

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
