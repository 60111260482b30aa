package sqlite

import (
	"context"
	"strconv"

	"github.com/crudgen/crudgen/runtime"
)

// Querier runs SQL: a *DB, a Tx or a generated DBTX.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) Row
}

// Collect runs a query and scans every row it returns, in order.
func Collect[R any](ctx context.Context, db Querier, sql string, args []any, scan func(Row, *R) error) ([]R, error) {
	return runtime.CollectFrom(ctx, source{db}, sql, args, scan)
}

// QueryRow is db.QueryRow: it returns ErrNoRows when the query returns no
// row and reads only the first row otherwise.
func QueryRow(ctx context.Context, db Querier, sql string, args ...any) Row {
	return db.QueryRow(ctx, sql, args...)
}

// Fetch runs the list query q over l on db and returns the page (see
// runtime.FetchFrom).
func Fetch[R any, P interface {
	*R
	runtime.Marshaler
}](ctx context.Context, db Querier, l *runtime.List, q *runtime.ListQuery, scan func(Row, *R) error, value func(*R, []byte, int) []byte) (runtime.Page[R], error) {
	return runtime.FetchFrom[Row, R, P](ctx, source{db}, l, q, scan, value)
}

// source is a Querier as the runtime's lists run statements.
type source struct{ db Querier }

func (s source) Each(ctx context.Context, sql string, args []any, fn func(Row) error) error {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	rows.Close() // before the next statement, on what may be the writer
	return rows.Err()
}

func (s source) One(ctx context.Context, sql string, args []any, dest ...any) error {
	return s.db.QueryRow(ctx, sql, args...).Scan(dest...)
}

func (source) Extend(row Row, extra []any) Row { return runtime.WithTargets(row, extra) }

func (source) Dialect() *runtime.Dialect { return &Dialect }

// Dialect is how SQLite's SQL differs from PostgreSQL's in lists: in
// filters with a parameter per value, like as GLOB and ilike as LIKE
// (which folds ASCII letters only), NULLs ordered explicitly (SQLite puts
// them first ascending), and exact counts for estimates.
var Dialect = runtime.Dialect{InList: true, GlobLike: true, NullsOrder: true, NoEstimate: true}

// Beginner starts transactions: a *DB or a Tx (which starts a savepoint).
type Beginner interface {
	Begin(ctx context.Context) (Tx, error)
}

// InTx runs fn in a transaction of db (see runtime.InTxOf).
func InTx(ctx context.Context, db Beginner, fn func(tx Tx) error) error {
	return runtime.InTxOf(ctx, db.Begin, fn)
}

func itoa(n int) string { return strconv.Itoa(n) }
