package postgres

import (
	"context"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5"
)

// Querier runs SQL: a *pgxpool.Pool, a *pgx.Conn, a pgx.Tx or a generated
// DBTX.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Collect runs a query and scans every row it returns, in order.
func Collect[R any](ctx context.Context, db Querier, sql string, args []any, scan func(pgx.Row, *R) error) ([]R, error) {
	return runtime.CollectFrom(ctx, source{db}, sql, args, scan)
}

// Fetch runs the list query q over l on db and returns the page (see
// runtime.FetchFrom).
func Fetch[R any, P interface {
	*R
	runtime.Marshaler
}](ctx context.Context, db Querier, l *runtime.List, q *runtime.ListQuery, scan func(pgx.Row, *R) error, value func(*R, []byte, int) []byte) (runtime.Page[R], error) {
	return runtime.FetchFrom[pgx.Row, R, P](ctx, source{db}, l, q, scan, value)
}

// source is a Querier as the runtime's lists run statements.
type source struct{ db Querier }

func (s source) Each(ctx context.Context, sql string, args []any, fn func(pgx.Row) error) error {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	row := ScanRows(rows)
	for rows.Next() {
		if err := fn(row); err != nil {
			return err
		}
	}
	// Closed before the error is read, and before the caller runs its
	// next statement on what may be a single connection.
	rows.Close()
	return rows.Err()
}

func (s source) One(ctx context.Context, sql string, args []any, dest ...any) error {
	return QueryRow(ctx, s.db, sql, args...).Scan(dest...)
}

// Dialect is nil: the runtime writes PostgreSQL's SQL.
func (source) Dialect() *runtime.Dialect { return nil }

func (source) Extend(row pgx.Row, extra []any) pgx.Row { return runtime.WithTargets(row, extra) }

// Flagged scans a row returned after a leading boolean (an upsert's
// "inserted") into Flag, then the rest into the targets Scan is given.
type Flagged struct {
	pgx.Row
	Flag *bool
}

// Scan scans the flag and then dest.
func (f Flagged) Scan(dest ...any) error {
	return f.Row.Scan(append([]any{f.Flag}, dest...)...)
}
