package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// Row is a row a scan function reads: its Scan converts SQLite's values
// into the destinations' types, the runtime's included (see kindOf).
type Row interface {
	Scan(dest ...any) error
}

// Rows are the rows of a query, read one at a time.
type Rows interface {
	Row
	Next() bool
	Err() error
	Close()
}

// Result is what Exec returns.
type Result struct{ rows int64 }

// RowsAffected is the number of rows the statement changed.
func (r Result) RowsAffected() int64 { return r.rows }

// ErrNoRows is the error of QueryRow's Scan when the query returned no
// row: database/sql's, which runtime.API.Error answers with 404.
var ErrNoRows = sql.ErrNoRows

// queryer is a pool's statements or a *sql.Tx.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func exec(ctx context.Context, q queryer, query string, args []any) (Result, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return Result{}, err
	}
	n, err := res.RowsAffected()
	return Result{rows: n}, err
}

// exec and runQuery take arguments converted by bindArgs. runQuery calls
// release, if not nil, once the rows are closed (or the query failed).
// locate, if not nil, adds to the rows' error the foreign key at fault
// (see locateFK), before the writer is released.
func runQuery(ctx context.Context, q queryer, query string, args []any, release func(), locate func(error) error) (Rows, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		if release != nil {
			release()
		}
		return nil, err
	}
	return &sqlRows{rows: rows, release: release, locate: locate}, nil
}

// sqlRows are database/sql's rows, scanned through the runtime's types.
type sqlRows struct {
	rows    *sql.Rows
	release func()
	locate  func(error) error
	err     error       // Err's, once located
	targets []any       // the destinations of the last Scan, as database/sql fills them
	convs   []converter // those that convert, reused row after row
}

func (r *sqlRows) Next() bool { return r.rows.Next() }

func (r *sqlRows) Err() error {
	if r.err == nil {
		r.err = r.rows.Err()
		if r.err != nil && r.locate != nil {
			_ = r.rows.Close() // the connection is free for the diagnosis
			r.err, r.locate = r.locate(r.err), nil
		}
	}
	return r.err
}

func (r *sqlRows) Close() {
	_ = r.rows.Close() // its error, if any, is what Err returns
	if r.locate != nil && r.rows.Err() != nil {
		_ = r.Err() // located before the writer is given back
	}
	if r.release != nil {
		r.release()
		r.release = nil
	}
}

func (r *sqlRows) Scan(dest ...any) error {
	r.targets, r.convs = scanTargets(r.targets[:0], r.convs, dest)
	return r.rows.Scan(r.targets...)
}

// firstRow is the row QueryRow returns.
type firstRow struct {
	rows Rows
	err  error
}

func (r *firstRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// Tx is a transaction; its Begin starts a savepoint, a transaction nested
// in it (the hooks' transactions).
type Tx interface {
	Exec(ctx context.Context, query string, args ...any) (Result, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	Begin(ctx context.Context) (Tx, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// sqlTx is a transaction on the writer, which it holds until it ends.
type sqlTx struct {
	tx        *sql.Tx
	release   func()
	depth     int // of the savepoints begun in it
	savepoint string
	parent    *sqlTx
}

func (t *sqlTx) Exec(ctx context.Context, query string, args ...any) (Result, error) {
	args, err := bindArgs(args)
	if err != nil {
		return Result{}, err
	}
	res, err := exec(ctx, t.tx, query, args)
	return res, locateFK(ctx, t.tx, query, args, err)
}

func (t *sqlTx) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	args, err := bindArgs(args)
	if err != nil {
		return nil, err
	}
	rows, err := runQuery(ctx, t.tx, query, args, nil, func(err error) error { return locateFK(ctx, t.tx, query, args, err) })
	if err != nil {
		return nil, locateFK(ctx, t.tx, query, args, err)
	}
	return rows, nil
}

func (t *sqlTx) QueryRow(ctx context.Context, query string, args ...any) Row {
	rows, err := t.Query(ctx, query, args...)
	return &firstRow{rows: rows, err: err}
}

func (t *sqlTx) Begin(ctx context.Context) (Tx, error) {
	root := t
	for root.parent != nil {
		root = root.parent
	}
	root.depth++
	name := "sp" + itoa(root.depth)
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return nil, err
	}
	return &sqlTx{tx: t.tx, savepoint: name, parent: t}, nil
}

func (t *sqlTx) Commit(ctx context.Context) error {
	if t.parent != nil {
		_, err := t.tx.ExecContext(ctx, "RELEASE "+t.savepoint)
		return err
	}
	defer t.end()
	return t.tx.Commit()
}

func (t *sqlTx) Rollback(ctx context.Context) error {
	if t.parent != nil {
		if _, err := t.tx.ExecContext(ctx, "ROLLBACK TO "+t.savepoint); err != nil {
			return err
		}
		_, err := t.tx.ExecContext(ctx, "RELEASE "+t.savepoint)
		return err
	}
	defer t.end()
	err := t.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil // already ended, by a commit or a canceled context
	}
	return err
}

// end gives the writer back once.
func (t *sqlTx) end() {
	if t.release != nil {
		t.release()
		t.release = nil
	}
}
