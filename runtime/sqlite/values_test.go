package sqlite

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
)

// TestForeignValuesReadBack: values other programs write in a storage
// class the column's type does not use read as what they mean.
func TestForeignValuesReadBack(t *testing.T) {
	db := open(t, `CREATE TABLE f (n INTEGER, r REAL, b BOOLEAN, at DATETIME, d DATE)`)
	ctx := context.Background()
	for _, tc := range []struct {
		sql     string
		n       int64
		r       float64
		b       bool
		at      time.Time
		d       string
		wantErr bool
	}{
		{sql: `INSERT INTO f VALUES (1, 1.5, 1, '2024-02-29 10:11:12', '2024-02-29')`, n: 1, r: 1.5, b: true, at: time.Date(2024, 2, 29, 10, 11, 12, 0, time.UTC), d: "2024-02-29"},
		{sql: `INSERT INTO f VALUES (CAST('7' AS TEXT), '2.5', 'true', 1709201472, 1709201472)`, n: 7, r: 2.5, b: true, at: time.Unix(1709201472, 0).UTC(), d: "2024-02-29"},
		{sql: `INSERT INTO f VALUES (3.0, 4, 'No', 2460370.0, julianday('2024-02-29'))`, n: 3, r: 4, b: false, at: time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), d: "2024-02-29"},
		{sql: `INSERT INTO f VALUES (2, 0, 'off', '2024-02-29T10:11:12.5+01:00', '2024-02-29')`, n: 2, r: 0, b: false, at: time.Date(2024, 2, 29, 9, 11, 12, 500000000, time.UTC), d: "2024-02-29"},
		{sql: `INSERT INTO f VALUES ('abc', 1, 1, '2024-02-29', '2024-02-29')`, wantErr: true},
	} {
		_, err := db.Exec(ctx, "DELETE FROM f")
		require.NoError(t, err)
		_, err = db.Exec(ctx, tc.sql)
		require.NoError(t, err, tc.sql)
		var (
			n  int64
			r  float64
			b  bool
			at time.Time
			d  runtime.Date
		)
		err = db.QueryRow(ctx, "SELECT n, r, b, at, d FROM f").Scan(&n, &r, &b, &at, &d)
		if tc.wantErr {
			assert.Error(t, err, tc.sql)
			continue
		}
		require.NoError(t, err, tc.sql)
		assert.Equal(t, tc.n, n, tc.sql)
		assert.Equal(t, tc.r, r, tc.sql)
		assert.Equal(t, tc.b, b, tc.sql)
		assert.True(t, tc.at.Equal(at), "%s: %s", tc.sql, at)
		assert.Equal(t, tc.d, d.String(), tc.sql)
	}
}

// TestNaNIsRefused: SQLite would store NaN as NULL; the write is a 422.
func TestNaNIsRefused(t *testing.T) {
	db := open(t, `CREATE TABLE f (r REAL)`)
	_, err := db.Exec(context.Background(), "INSERT INTO f VALUES ($1)", math.NaN())
	require.ErrorIs(t, err, errNaN)
	rec := httptest.NewRecorder()
	(&runtime.API{}).Error(rec, httptest.NewRequest(http.MethodPost, "/f", nil), err, nil)
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	_, err = db.Exec(context.Background(), "INSERT INTO f VALUES ($1)", math.Inf(1))
	require.NoError(t, err, "SQLite stores the infinities")
}
