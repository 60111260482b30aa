package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
)

// benchItem is a row as generated stores scan it: the types of
// examples/bench/sqlite's items.
type benchItem struct {
	ID          int64
	SKU, Name   string
	Description *string
	Price       runtime.Decimal
	Quantity    int64
	Status      string
	Tags        json.RawMessage
	CreatedAt   time.Time
	UpdatedAt   *time.Time
}

func scanBenchItem(row Row, r *benchItem) error {
	return row.Scan(&r.ID, &r.SKU, &r.Name, &r.Description, &r.Price, &r.Quantity, &r.Status, &r.Tags, &r.CreatedAt, &r.UpdatedAt)
}

const benchSelect = `SELECT id, sku, name, description, price, quantity, status, tags, created_at, updated_at FROM items`

// benchDB is a database of n items like examples/bench/sqlite's, every
// third one updated.
func benchDB(b *testing.B, n int) *DB {
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), runtime.Settings{})
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec(context.Background(), fmt.Sprintf(`
CREATE TABLE items (
    id INTEGER PRIMARY KEY, sku VARCHAR(32) NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT,
    price DECIMAL(10, 2) NOT NULL, quantity INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'active',
    tags JSON NOT NULL DEFAULT '[]', created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME);
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %d)
INSERT INTO items (sku, name, description, price, quantity, tags, updated_at)
SELECT 'SKU-' || n, 'item ' || n, CASE WHEN n %% 4 = 0 THEN NULL ELSE 'the description of item ' || n END,
       (n %% 10000) / 100.0, n %% 500, json_array('tag' || (n %% 7)), CASE WHEN n %% 3 = 0 THEN CURRENT_TIMESTAMP END
FROM g;`, n))
	require.NoError(b, err)
	return db
}

// BenchmarkQueryRow reads one row by key, as a generated GET does.
func BenchmarkQueryRow(b *testing.B) {
	const rows = 1000
	db := benchDB(b, rows)
	ctx := context.Background()
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		var r benchItem
		if err := scanBenchItem(QueryRow(ctx, db, benchSelect+` WHERE id = $1`, 1+i%rows), &r); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCollect20 reads 20 rows, as a generated list does.
func BenchmarkCollect20(b *testing.B) {
	const rows = 1000
	db := benchDB(b, rows)
	ctx := context.Background()
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		items, err := Collect(ctx, db, benchSelect+` WHERE id > $1 ORDER BY id LIMIT 20`, []any{i % (rows - 20)}, scanBenchItem)
		if err != nil || len(items) != 20 {
			b.Fatal(err, len(items))
		}
		i++
	}
}
