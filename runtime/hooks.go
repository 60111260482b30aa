package runtime

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Scope limits the rows a request can see and change: each entry is a
// column (by its JSON name) and the value it must equal. A Scope hook
// returns one per request, such as Scope{"tenant_id": tenantOf(ctx)};
// rows outside it are not listed and are a 404 to get, update and delete.
type Scope map[string]any

// names returns the scope's columns in a stable order, so that the SQL
// text is the same for every request.
func (s Scope) names() []string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ScopeQuery adds the scope to a list query as equality filters.
func (l *List) ScopeQuery(q *ListQuery, s Scope) error {
	for _, name := range s.names() {
		i, ok := l.Column(name)
		if !ok {
			return fmt.Errorf("runtime: scope names %q, which is not a column of %s", name, l.Table)
		}
		q.Filters = append(q.Filters, Filter{Column: i, Op: OpEq, Value: s[name]})
	}
	return nil
}

// ScopeSQL adds the scope to a statement on one row whose WHERE clause
// ends it or precedes its RETURNING: "... AND col = $n".
func (l *List) ScopeSQL(sql string, args []any, s Scope) (string, []any, error) {
	if len(s) == 0 {
		return sql, args, nil
	}
	var b strings.Builder
	for _, name := range s.names() {
		i, ok := l.Column(name)
		if !ok {
			return "", nil, fmt.Errorf("runtime: scope names %q, which is not a column of %s", name, l.Table)
		}
		c := &l.Columns[i]
		args = append(args, s[name])
		b.WriteString(" AND " + c.SQL + " = $" + strconv.Itoa(len(args)) + c.Value.cast)
	}
	if at := strings.LastIndex(sql, " RETURNING "); at >= 0 {
		return sql[:at] + b.String() + sql[at:], args, nil
	}
	return sql + b.String(), args, nil
}

// ScopeUpdate adds the scope to an UPDATE's conditions.
func (l *List) ScopeUpdate(q *Update, s Scope) error {
	for _, name := range s.names() {
		i, ok := l.Column(name)
		if !ok {
			return fmt.Errorf("runtime: scope names %q, which is not a column of %s", name, l.Table)
		}
		c := &l.Columns[i]
		q.Where(c.SQL, c.Value.cast, s[name])
	}
	return nil
}

// Forbidden is the problem of a request an Authorize hook refused.
func Forbidden(detail string) *Problem {
	if detail == "" {
		detail = "You may not do this."
	}
	return NewProblem(http.StatusForbidden, detail)
}

// Denied turns an Authorize hook's error into the problem to answer: a
// *Problem the hook returned is kept (a 401, say), anything else is a 403.
func Denied(err error) error {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return &denied{err}
}

// denied is a 403 whose cause stays in the log.
type denied struct{ err error }

func (d *denied) Error() string { return "forbidden: " + d.err.Error() }
func (d *denied) Unwrap() error { return d.err }
