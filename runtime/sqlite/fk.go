package sqlite

import (
	"context"
	"errors"
	"strings"
)

// SQLite's foreign key errors name no constraint, table or column
// ("FOREIGN KEY constraint failed"). To locate one at the request's
// fields, the write that failed runs again in a savepoint with the checks
// deferred, PRAGMA foreign_key_check names the row and foreign key at
// fault, and the savepoint is rolled back: nothing of it stays.

// fkError is a foreign key error with the foreign key at fault.
type fkError struct {
	err error
	// table is the referencing table; from its columns, to the referenced
	// table's.
	table    string
	from, to []string
	// referenced says the write's own table is the referenced one: a
	// DELETE, or an UPDATE of a key, left rows pointing at nothing.
	referenced bool
}

func (e *fkError) Error() string { return e.err.Error() }
func (e *fkError) Unwrap() error { return e.err }

// locateFK returns err, a foreign key error of query on q (the writer's
// connection pool or a transaction, which the caller holds), with the
// foreign key at fault when the diagnosis finds it; any other error as it
// is.
func locateFK(ctx context.Context, q queryer, query string, args []any, err error) error {
	if code(err) != codeConstraintFK {
		return err
	}
	fk, ok := diagnoseFK(ctx, q, query, args)
	if !ok {
		return err
	}
	fk.err = err
	return fk
}

func diagnoseFK(ctx context.Context, q queryer, query string, args []any) (fk *fkError, ok bool) {
	if _, err := q.ExecContext(ctx, "SAVEPOINT crudgen_fk"); err != nil {
		return nil, false
	}
	defer func() {
		ctx := context.WithoutCancel(ctx)
		_, _ = q.ExecContext(ctx, "PRAGMA defer_foreign_keys = OFF")
		_, _ = q.ExecContext(ctx, "ROLLBACK TO crudgen_fk")
		_, _ = q.ExecContext(ctx, "RELEASE crudgen_fk")
	}()
	if _, err := q.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return nil, false
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false
	}
	for rows.Next() { // a RETURNING statement writes as its rows are read
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, false
	}
	fk = &fkError{}
	var id int
	err = queryRow(ctx, q, `SELECT "table", fkid FROM pragma_foreign_key_check LIMIT 1`, nil, &fk.table, &id)
	if err != nil {
		return nil, false
	}
	rows, err = q.QueryContext(ctx, `SELECT "from", "to" FROM pragma_foreign_key_list($1) WHERE id = $2 ORDER BY seq`, fk.table, id)
	if err != nil {
		return nil, false
	}
	defer rows.Close()
	for rows.Next() {
		var from string
		var to *string // NULL: the referenced table's primary key
		if err := rows.Scan(&from, &to); err != nil {
			return nil, false
		}
		fk.from = append(fk.from, from)
		if to != nil {
			fk.to = append(fk.to, *to)
		}
	}
	if rows.Err() != nil || len(fk.from) == 0 {
		return nil, false
	}
	fk.referenced = !strings.EqualFold(writtenTable(query), fk.table)
	return fk, true
}

func queryRow(ctx context.Context, q queryer, query string, args []any, dest ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return ErrNoRows
	}
	return rows.Scan(dest...)
}

// writtenTable returns the unqualified table an INSERT, UPDATE or DELETE
// writes, as the stores spell it: INSERT INTO main.posts, UPDATE
// main."order", DELETE FROM "my schema".t.
func writtenTable(query string) string {
	rest := strings.TrimSpace(query)
	for _, prefix := range []string{"INSERT INTO ", "DELETE FROM ", "UPDATE "} {
		if len(rest) >= len(prefix) && strings.EqualFold(rest[:len(prefix)], prefix) {
			rest = strings.TrimSpace(rest[len(prefix):])
			name, n := identifier(rest)
			if strings.HasPrefix(rest[n:], ".") {
				name, _ = identifier(rest[n+1:])
			}
			return name
		}
	}
	return ""
}

// identifier reads a name, bare or in double quotes, and returns it with
// the number of bytes read.
func identifier(s string) (string, int) {
	if !strings.HasPrefix(s, `"`) {
		n := strings.IndexAny(s, ". (\t\n")
		if n < 0 {
			n = len(s)
		}
		return s[:n], n
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] != '"':
			b.WriteByte(s[i])
		case i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		default:
			return b.String(), i + 1
		}
	}
	return b.String(), len(s)
}
