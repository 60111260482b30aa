package postgres

import (
	"context"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5"
)

// Beginner starts transactions: a pool, a connection or a transaction
// (which starts a savepoint).
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn in a transaction of db (see runtime.InTxOf).
func InTx(ctx context.Context, db Beginner, fn func(tx pgx.Tx) error) error {
	return runtime.InTxOf(ctx, db.Begin, fn)
}
