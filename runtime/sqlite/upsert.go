package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/crudgen/crudgen/runtime"
)

// errDuplicateRows is the error of an upsert that holds two rows with the
// same key: a 409, as on PostgreSQL, which cannot update a row twice in one
// statement.
var errDuplicateRows = errors.New("sqlite: two rows of the upsert have the same key")

// Upsert runs the upsert q (an Insert with OnConflict) in a transaction, a
// row at a time, and tells which rows were inserted: SQLite's RETURNING
// gives the row either way, so each row's key is looked up first. The rows
// come back in the order of q's. Two rows with the same key are an error
// that runtime.API.Error answers with 409, and nothing is written.
func Upsert[R any](ctx context.Context, db Beginner, q *runtime.Insert, table, returning string, scan func(Row, *R) error) (rows []R, inserted []bool, err error) {
	err = InTx(ctx, db, func(tx Tx) error {
		var keys [][]any
		for i := range q.Rows() {
			key := q.Key(i)
			if !slices.Contains(key, nil) {
				if slices.ContainsFunc(keys, func(k []any) bool { return fmt.Sprint(k) == fmt.Sprint(key) }) {
					return errDuplicateRows
				}
				keys = append(keys, key)
			}
			one := q.Only(i)
			exists := false
			if sql, args, ok := one.ExistsSQL(table); ok {
				if err := tx.QueryRow(ctx, sql, args...).Scan(&exists); err != nil {
					return err
				}
			}
			got, err := Collect(ctx, tx, one.UnflaggedSQL(table, returning), one.Args(), scan)
			if err != nil {
				return err
			}
			rows = append(rows, got...)
			inserted = append(inserted, !exists)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return rows, inserted, nil
}
