package runtime

import "context"

// This file holds what the engine adapters' statement helpers share; each
// adapter wraps them with its driver's types (postgres.Collect,
// sqlite.InTx).

// CollectFrom runs a query on src and scans every row it returns, in
// order.
func CollectFrom[Row, R any](ctx context.Context, src RowSource[Row], sql string, args []any, scan func(Row, *R) error) ([]R, error) {
	var out []R
	err := src.Each(ctx, sql, args, func(row Row) error {
		out = append(out, *new(R))
		return scan(row, &out[len(out)-1])
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Scanner is a row as drivers give it.
type Scanner interface {
	Scan(dest ...any) error
}

// WithTargets returns a row that scans row's columns into the targets its
// Scan is given and then into extra: the values of embedded relations,
// for RowSource.Extend.
func WithTargets(row Scanner, extra []any) Scanner { return withTargets{row: row, extra: extra} }

type withTargets struct {
	row   Scanner
	extra []any
}

func (w withTargets) Scan(dest ...any) error {
	return w.row.Scan(append(dest, w.extra...)...)
}

// Transaction is a driver's transaction, as InTxOf ends it.
type Transaction interface {
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// InTxOf runs fn in a transaction begin starts, committed when fn returns
// nil and rolled back otherwise: a hook's error undoes the write it
// surrounds.
//
// An error of begin or of fn is returned marked NotCommitted: whatever it
// is, a lost connection included, the transaction was not committed, so
// API.Error answers a failure rather than an unknown outcome. An error of
// COMMIT is returned as it is: the connection may have broken after the
// server committed. A panic in fn rolls the transaction back before it
// goes on, so that the connection is free for the next request.
func InTxOf[Tx Transaction](ctx context.Context, begin func(context.Context) (Tx, error), fn func(Tx) error) error {
	tx, err := begin(ctx)
	if err != nil {
		return NotCommitted(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx) // the error that matters is fn's
		return NotCommitted(err)
	}
	return tx.Commit(ctx)
}
