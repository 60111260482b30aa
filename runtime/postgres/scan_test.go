package postgres

import (
	"context"
	"fmt"
	"github.com/crudgen/crudgen/runtime"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scanStatus is a string type like a generated enum.
type scanStatus string

// scanCases pairs SQL values with destinations, the decoded ones and
// those left to pgx: NULLs, extremes, infinities, odd arrays, and values
// of one type read into another.
var scanCases = []struct {
	sql  string
	dest func() any
}{
	{"1::int8", func() any { return new(int64) }},
	{"(-9223372036854775808)::int8", func() any { return new(int64) }},
	{"NULL::int8", func() any { return new(int64) }},
	{"NULL::int8", func() any { return new(*int64) }},
	{"42::int8", func() any { return new(*int64) }},
	{"7::int4", func() any { return new(int64) }},
	{"7::int4", func() any { return new(int32) }},
	{"(-2147483648)::int4", func() any { return new(*int32) }},
	{"NULL::int4", func() any { return new(*int32) }},
	{"3::int2", func() any { return new(int16) }},
	{"3::int2", func() any { return new(int32) }},
	{"true", func() any { return new(bool) }},
	{"false", func() any { return new(*bool) }},
	{"NULL::bool", func() any { return new(bool) }},
	{"1.5::float8", func() any { return new(float64) }},
	{"'NaN'::float8", func() any { return new(float64) }},
	{"'-Infinity'::float8", func() any { return new(*float64) }},
	{"1.25::float4", func() any { return new(float32) }},
	{"1.25::float4", func() any { return new(float64) }},
	{"'héllo'::text", func() any { return new(string) }},
	{"''::text", func() any { return new(*string) }},
	{"NULL::text", func() any { return new(*string) }},
	{"NULL::text", func() any { return new(string) }},
	{"'ab'::varchar(5)", func() any { return new(string) }},
	{"'ab'::char(4)", func() any { return new(string) }},
	{"'pg_class'::name", func() any { return new(string) }},
	{"'active'::text", func() any { return new(scanStatus) }},
	{"NULL::text", func() any { return new(scanStatus) }},
	{"'active'::text", func() any { return new(*scanStatus) }},
	{"12::int8", func() any { return new(string) }},
	{"'x'::text", func() any { return new(int64) }},
	{"'2024-02-29 13:14:15.123456+00'::timestamptz", func() any { return new(time.Time) }},
	{"'1999-12-31 23:59:59.999999+00'::timestamptz", func() any { return new(time.Time) }},
	{"'1900-01-01 00:00:00.000001+00'::timestamptz", func() any { return new(*time.Time) }},
	{"'4713-11-24 00:00:00+00 BC'::timestamptz", func() any { return new(time.Time) }},
	{"'294276-12-31 23:59:59.999999+00'::timestamptz", func() any { return new(time.Time) }},
	{"'infinity'::timestamptz", func() any { return new(time.Time) }},
	{"'-infinity'::timestamptz", func() any { return new(*time.Time) }},
	{"NULL::timestamptz", func() any { return new(*time.Time) }},
	{"NULL::timestamptz", func() any { return new(time.Time) }},
	{"'2024-02-29 13:14:15'::timestamp", func() any { return new(time.Time) }},
	{"12.50::numeric(10,2)", func() any { return new(runtime.Decimal) }},
	{"0.00::numeric", func() any { return new(runtime.Decimal) }},
	{"'-1.5e-20'::numeric", func() any { return new(*runtime.Decimal) }},
	{"'NaN'::numeric", func() any { return new(runtime.Decimal) }},
	{"'Infinity'::numeric", func() any { return new(runtime.Decimal) }},
	{"NULL::numeric", func() any { return new(*runtime.Decimal) }},
	{"NULL::numeric", func() any { return new(runtime.Decimal) }},
	{"'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", func() any { return new(runtime.UUID) }},
	{"NULL::uuid", func() any { return new(*runtime.UUID) }},
	{"'{a,b,\"\"}'::text[]", func() any { return new([]string) }},
	{"'{}'::text[]", func() any { return new([]string) }},
	{"NULL::text[]", func() any { return new([]string) }},
	{"'{a,NULL}'::text[]", func() any { return new([]string) }},
	{"'{{a,b},{c,d}}'::text[]", func() any { return new([]string) }},
	{"'[0:1]={x,y}'::text[]", func() any { return new([]string) }},
	{"'{é,\"with, comma\"}'::varchar[]", func() any { return new([]string) }},
	{"'{1,2}'::int8[]", func() any { return new([]int64) }},
	{"'{a,b,\"\"}'::text[]", func() any { return new(runtime.Array[string]) }},
	{"'{}'::text[]", func() any { return new(runtime.Array[string]) }},
	{"NULL::text[]", func() any { return new(runtime.Array[string]) }},
	{"NULL::text[]", func() any { return new(*runtime.Array[string]) }},
	{"'{x}'::text[]", func() any { return new(*runtime.Array[string]) }},
	{"'{a,NULL}'::text[]", func() any { return new(runtime.Array[string]) }},
	{"'{{a,b},{c,d}}'::text[]", func() any { return new(runtime.Array[string]) }},
	{"'[0:1]={x,y}'::text[]", func() any { return new(runtime.Array[string]) }},
	{"'{é,\"with, comma\"}'::varchar[]", func() any { return new(runtime.Array[string]) }},
	{"'{1,NULL,3}'::int8[]", func() any { return new(runtime.Array[int64]) }},
	{"'[-2:-1][3:4]={{1,2},{3,NULL}}'::int4[]", func() any { return new(*runtime.Array[int32]) }},
	{"'{1.50,NaN,NULL}'::numeric[]", func() any { return new(runtime.Array[runtime.Decimal]) }},
	{"'{active,NULL}'::text[]", func() any { return new(runtime.Array[scanStatus]) }},
}

// TestScannerAgreesWithPgx reads each case through pgx's Rows.Scan and
// through ScanRows, in every query mode, with and without postgres.RegisterTypes:
// the same value, or an error from both.
func TestScannerAgreesWithPgx(t *testing.T) {
	tvEachConn(t, func(t *testing.T, c tvConn) {
		ctx := context.Background()
		for _, tc := range scanCases {
			query := "SELECT " + tc.sql
			want, wantErr := tc.dest(), error(nil)
			rows, err := c.conn.Query(ctx, query)
			require.NoError(t, err, query)
			if assert.True(t, rows.Next(), query) {
				wantErr = rows.Scan(want)
			}
			rows.Close()

			if isRuntimeDest(want) && !c.registered {
				continue // the runtime's types scan only with RegisterTypes
			}
			got, gotErr := tc.dest(), error(nil)
			rows, err = c.conn.Query(ctx, query)
			require.NoError(t, err, query)
			if assert.True(t, rows.Next(), query) {
				gotErr = ScanRows(rows).Scan(got)
			}
			rows.Close()

			if wantErr != nil {
				assert.Error(t, gotErr, "%s into %T", tc.sql, got)
				continue
			}
			if assert.NoError(t, gotErr, "%s into %T", tc.sql, got) {
				assert.Equal(t, fmt.Sprintf("%#v", deref(want)), fmt.Sprintf("%#v", deref(got)), "%s into %T", tc.sql, got)
			}
		}
	})
}

// isRuntimeDest reports whether dest points (through pointers) at one of
// the runtime's types.
func isRuntimeDest(dest any) bool {
	t := reflect.TypeOf(dest)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == reflect.TypeFor[runtime.Decimal]().PkgPath()
}

// deref follows a destination's pointers, for printing; nil stays nil.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if d, ok := rv.Interface().(runtime.Decimal); ok {
		return d.String() // compared as PostgreSQL prints it
	}
	return rv.Interface()
}

// TestScannerRow reads a row of several columns twice with the same
// scanner, as a page does, and reads it into different types (a Decimal
// among them: with RegisterTypes, as the runtime's types need).
func TestScannerRow(t *testing.T) {
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		ctx := context.Background()
		rows, err := c.conn.Query(ctx, "SELECT n::int8, 'r' || n, CASE WHEN n = 2 THEN NULL ELSE n * 1.5 END::numeric FROM generate_series(1, 3) n")
		require.NoError(t, err)
		defer rows.Close()
		row := ScanRows(rows)
		var got []string
		for rows.Next() {
			var (
				id   int64
				name string
				amt  *runtime.Decimal
			)
			require.NoError(t, row.Scan(&id, &name, &amt))
			got = append(got, fmt.Sprintf("%d %s %v", id, name, deref(&amt)))
		}
		require.NoError(t, rows.Err())
		assert.Equal(t, []string{"1 r1 1.5", "2 r2 <nil>", "3 r3 4.5"}, got)
	})
}

func TestScannerWrongCount(t *testing.T) {
	tvEachConn(t, func(t *testing.T, c tvConn) {
		rows, err := c.conn.Query(context.Background(), "SELECT 1::int8, 2::int8")
		require.NoError(t, err)
		defer rows.Close()
		require.True(t, rows.Next())
		var a int64
		assert.ErrorContains(t, ScanRows(rows).Scan(&a), "number of field descriptions must equal number of destinations")
	})
}

// TestQueryRow checks runtime.QueryRow against pgx's QueryRow: the first
// row, pgx.ErrNoRows, and the errors of the query itself.
func TestQueryRow(t *testing.T) {
	tvEachConn(t, func(t *testing.T, c tvConn) {
		ctx := context.Background()
		var n int64
		require.NoError(t, QueryRow(ctx, c.conn, "SELECT n FROM generate_series(5, 7) n").Scan(&n))
		assert.Equal(t, int64(5), n)
		assert.ErrorIs(t, QueryRow(ctx, c.conn, "SELECT 1::int8 WHERE false").Scan(&n), pgx.ErrNoRows)
		assert.ErrorContains(t, QueryRow(ctx, c.conn, "SELECT nonsense").Scan(&n), "nonsense")
		assert.ErrorContains(t, QueryRow(ctx, c.conn, "SELECT 1/0").Scan(&n), "division by zero")
		// The connection is free again after each.
		require.NoError(t, QueryRow(ctx, c.conn, "SELECT $1::int8", 9).Scan(&n))
		assert.Equal(t, int64(9), n)
	})
}

// FuzzTextArray checks decodeTextArray against pgx's decoding of the
// same bytes: wherever it decodes, pgx decodes the same strings.
func FuzzTextArray(f *testing.F) {
	m := pgtype.NewMap()
	for _, v := range [][]string{nil, {}, {"a"}, {"", "bc", "é"}} {
		b, err := m.Encode(pgtype.TextArrayOID, pgtype.BinaryFormatCode, v, nil)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 1, 0, 0, 0, 1, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, src []byte) {
		got, ok := decodeTextArray(src, string(src))
		if !ok {
			return
		}
		var want []string
		require.NoError(t, m.Scan(pgtype.TextArrayOID, pgtype.BinaryFormatCode, src, &want))
		require.Equal(t, want, got.Elems)
		require.Nil(t, got.Nulls)
		require.Nil(t, got.Dims)
	})
}

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkScanPage reads a page of 20 rows like the bench example's
// items, by pgx's Rows.Scan and by ScanRows; the query is the same, so
// the difference is the scanning.
func BenchmarkScanPage(b *testing.B) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL(b))
	require.NoError(b, err)
	defer conn.Close(ctx)
	RegisterTypes(conn.TypeMap())
	const query = `SELECT n::int8, 'SKU-' || n, 'item ' || n, CASE WHEN n % 2 = 0 THEN 'desc' END,
		(n * 1.25)::numeric(10,2), n::int4, 'active'::text, ARRAY['a', 'b'], now(), CASE WHEN n % 3 = 0 THEN now() END
		FROM generate_series(1, 20) n`
	type item struct {
		ID          int64
		SKU, Name   string
		Description *string
		Price       runtime.Decimal
		Quantity    int32
		Status      scanStatus
		Tags        runtime.Array[string]
		CreatedAt   time.Time
		UpdatedAt   *time.Time
	}
	read := func(b *testing.B, row func(pgx.Rows) pgx.Row) {
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			rows, err := conn.Query(ctx, query)
			require.NoError(b, err)
			items := make([]item, 0, 20)
			r := row(rows)
			for rows.Next() {
				items = append(items, item{})
				it := &items[len(items)-1]
				require.NoError(b, r.Scan(&it.ID, &it.SKU, &it.Name, &it.Description, &it.Price, &it.Quantity, &it.Status, &it.Tags, &it.CreatedAt, &it.UpdatedAt))
			}
			require.NoError(b, rows.Err())
		}
		// The process's CPU time, which other processes on the machine
		// do not change as they do wall time.
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
	}
	b.Run("pgx", func(b *testing.B) { read(b, func(rows pgx.Rows) pgx.Row { return rows }) })
	b.Run("ScanRows", func(b *testing.B) { read(b, ScanRows) })
}
