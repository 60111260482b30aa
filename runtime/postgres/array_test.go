package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crudgen/crudgen/runtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// arrayStatus is a string type like a generated enum.
type arrayStatus string

// TestArraysInPostgres writes arrays of every shape with SQL and as
// parameters, in every query mode, and reads them back.
func TestArraysInPostgres(t *testing.T) {
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		ctx := context.Background()
		for _, tc := range []struct {
			sql string
			a   runtime.Array[int32]
		}{
			{"'{}'", runtime.ArrayOf[int32]()},
			{"'{1,2,3}'", runtime.ArrayOf[int32](1, 2, 3)},
			{"'{1,NULL}'", runtime.Array[int32]{Elems: []int32{1, 0}, Nulls: []bool{false, true}}},
			{"'{NULL}'", runtime.Array[int32]{Elems: []int32{0}, Nulls: []bool{true}}},
			{"'{{1,2},{3,4}}'", runtime.Array[int32]{Elems: []int32{1, 2, 3, 4}, Dims: []runtime.ArrayDim{{Length: 2, Lower: 1}, {Length: 2, Lower: 1}}}},
			{"'[0:2]={7,8,9}'", runtime.Array[int32]{Elems: []int32{7, 8, 9}, Dims: []runtime.ArrayDim{{Length: 3, Lower: 0}}}},
			{"'[-3:-3][5:6]={{NULL,-1}}'", runtime.Array[int32]{Elems: []int32{0, -1}, Nulls: []bool{true, false}, Dims: []runtime.ArrayDim{{Length: 1, Lower: -3}, {Length: 2, Lower: 5}}}},
			{"'{{{{{{1}}}}}}'", runtime.Array[int32]{Elems: []int32{1}, Dims: []runtime.ArrayDim{{Length: 1, Lower: 1}, {Length: 1, Lower: 1}, {Length: 1, Lower: 1}, {Length: 1, Lower: 1}, {Length: 1, Lower: 1}, {Length: 1, Lower: 1}}}},
			{"'[2147483646:2147483646]={1}'", runtime.Array[int32]{Elems: []int32{1}, Dims: []runtime.ArrayDim{{Length: 1, Lower: 2147483646}}}},
			{"'[-2147483648:-2147483647]={1,2}'", runtime.Array[int32]{Elems: []int32{1, 2}, Dims: []runtime.ArrayDim{{Length: 2, Lower: -2147483648}}}},
		} {
			var got runtime.Array[int32]
			require.NoError(t, c.conn.QueryRow(ctx, "SELECT "+tc.sql+"::int4[]").Scan(&got), tc.sql)
			assert.Equal(t, tc.a, got, tc.sql)
			var ptr *runtime.Array[int32]
			require.NoError(t, c.conn.QueryRow(ctx, "SELECT "+tc.sql+"::int4[]").Scan(&ptr), tc.sql)
			assert.Equal(t, &tc.a, ptr, tc.sql)
			var same bool
			require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::int4[] IS NOT DISTINCT FROM "+tc.sql+"::int4[]", tc.a).Scan(&same), tc.sql)
			assert.True(t, same, "%s as a parameter", tc.sql)
		}
		var null *runtime.Array[int32]
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::int4[]").Scan(&null))
		assert.Nil(t, null)
		var isNull bool
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::int4[] IS NULL", null).Scan(&isNull))
		assert.True(t, isNull)
		var notNull runtime.Array[int32]
		assert.Error(t, c.conn.QueryRow(ctx, "SELECT NULL::int4[]").Scan(&notNull))

		// Elements of every type the runtime has, text with quotes and
		// braces, and a string type of the application's.
		texts := runtime.Array[string]{Elems: []string{`a"b`, `{c}`, `NULL`, ``, `x,y`, `\`, ``}, Nulls: []bool{false, false, false, false, false, false, true}}
		var gotTexts runtime.Array[string]
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::text[]", texts).Scan(&gotTexts))
		assert.Equal(t, texts, gotTexts)
		statuses := runtime.Array[arrayStatus]{Elems: []arrayStatus{"active", ""}, Nulls: []bool{false, true}, Dims: []runtime.ArrayDim{{Length: 2, Lower: 3}}}
		var gotStatuses runtime.Array[arrayStatus]
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::text[]", statuses).Scan(&gotStatuses))
		assert.Equal(t, statuses, gotStatuses)
		decs := runtime.Array[runtime.Decimal]{Elems: []runtime.Decimal{runtime.MustDecimal("1.50"), runtime.MustDecimal("NaN"), {}}, Nulls: []bool{false, false, true}}
		var gotDecs runtime.Array[runtime.Decimal]
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric[]", decs).Scan(&gotDecs))
		assert.Equal(t, fmt.Sprint(decs), fmt.Sprint(gotDecs))
		dates := runtime.Array[runtime.Date]{Elems: []runtime.Date{{Year: 2024, Month: 2, Day: 29}, runtime.DateInfinity}, Dims: []runtime.ArrayDim{{Length: 2, Lower: 0}}}
		var gotDates runtime.Array[runtime.Date]
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::date[]", dates).Scan(&gotDates))
		assert.Equal(t, dates, gotDates)
		var text string
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::date[]::text", dates).Scan(&text))
		assert.Equal(t, "[0:1]={2024-02-29,infinity}", text)
	})
}

// TestArrayParamWithoutType passes arrays where pgx knows no PostgreSQL
// type for them: the server reads their text as the column's type.
func TestArrayParamWithoutType(t *testing.T) {
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		ctx := context.Background()
		_, err := c.conn.Exec(ctx, "CREATE TEMP TABLE moods_"+strings.ReplaceAll(t.Name(), "/", "_")+" (m text[])")
		require.NoError(t, err)
		statuses := runtime.Array[arrayStatus]{Elems: []arrayStatus{"on", "", "a b"}, Nulls: []bool{false, true, false}}
		var back runtime.Array[arrayStatus]
		require.NoError(t, c.conn.QueryRow(ctx, "INSERT INTO moods_"+strings.ReplaceAll(t.Name(), "/", "_")+" VALUES ($1) RETURNING m", statuses).Scan(&back))
		assert.Equal(t, statuses, back)
	})
}
