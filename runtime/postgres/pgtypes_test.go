package postgres

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of runtime.Decimal, Date, TimeOfDay, Interval and UUID
// against PostgreSQL run every query on one connection per query execution
// mode, with RegisterTypes (and, where it matters, without):
//
//   - cache_statement (pgx's default): parameters and results of these
//     types in the binary format;
//   - exec: parameters and results in the text format, parameter types
//     assumed from the Go types;
//   - simple_protocol: parameters interpolated as text, results in text.

func TestMain(m *testing.M) { pgtest.Main(m) }

type tvConn struct {
	conn       *pgx.Conn
	binary     bool // results come in the binary format
	registered bool // RegisterTypes was called
}

var tvModes = []struct {
	name   string
	mode   pgx.QueryExecMode
	binary bool
}{
	{"cache_statement", pgx.QueryExecModeCacheStatement, true},
	{"exec", pgx.QueryExecModeExec, false},
	{"simple_protocol", pgx.QueryExecModeSimpleProtocol, false},
}

// tvEachConn runs fn as a subtest for each mode, with and without
// RegisterTypes.
func tvEachConn(t *testing.T, fn func(t *testing.T, c tvConn)) {
	t.Helper()
	tvConns(t, []bool{false, true}, fn)
}

// tvEachRegisteredConn runs fn as a subtest for each mode, with
// RegisterTypes, without which pgx does not know the runtime's types.
func tvEachRegisteredConn(t *testing.T, fn func(t *testing.T, c tvConn)) {
	t.Helper()
	tvConns(t, []bool{true}, fn)
}

func tvConns(t *testing.T, registrations []bool, fn func(t *testing.T, c tvConn)) {
	t.Helper()
	url := pgtest.URL(t)
	for _, m := range tvModes {
		for _, registered := range registrations {
			name := m.name
			if registered {
				name += "/registered"
			}
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				cfg, err := pgx.ParseConfig(url)
				require.NoError(t, err)
				cfg.DefaultQueryExecMode = m.mode
				conn, err := pgx.ConnectConfig(ctx, cfg)
				require.NoError(t, err)
				t.Cleanup(func() { _ = conn.Close(context.Background()) })
				if registered {
					RegisterTypes(conn.TypeMap())
				}
				fn(t, tvConn{conn: conn, binary: m.binary, registered: registered})
			})
		}
	}
}

// arrayParams reports whether slices of this package's types can be
// parameters: pgx needs their PostgreSQL type, which the modes that do not
// ask the server learn from RegisterTypes.
func (c tvConn) arrayParams() bool { return c.binary || c.registered }

// tvRoundTrip sends v as a parameter of type typ and reads it back, as T and
// as PostgreSQL's text.
func tvRoundTrip[T any](t *testing.T, c tvConn, typ string, v T) (got T, text string) {
	t.Helper()
	err := c.conn.QueryRow(context.Background(), "SELECT $1::"+typ+", $1::"+typ+"::text", v).Scan(&got, &text)
	require.NoError(t, err, "%v", v)
	return got, text
}

// tvFromText has PostgreSQL parse in as typ, and reads the value as T and
// as PostgreSQL's text.
func tvFromText[T any](t *testing.T, c tvConn, typ, in string) (got T, text string) {
	t.Helper()
	err := c.conn.QueryRow(context.Background(), "SELECT $1::text::"+typ+", $1::text::"+typ+"::text", in).Scan(&got, &text)
	require.NoError(t, err, "%q", in)
	return got, text
}

// tvScanErr has PostgreSQL evaluate sql and scans the result into a T,
// returning the error.
func tvScanErr[T any](c tvConn, sql string, args ...any) error {
	var v T
	return c.conn.QueryRow(context.Background(), sql, args...).Scan(&v)
}

// tvPGTexts has PostgreSQL cast each of in to typ and back to text.
func tvPGTexts(t *testing.T, c tvConn, typ string, in []string) []string {
	t.Helper()
	var out []string
	err := c.conn.QueryRow(context.Background(),
		"SELECT array_agg(x::"+typ+"::text ORDER BY i) FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i)", in).Scan(&out)
	require.NoError(t, err)
	require.Len(t, out, len(in))
	return out
}

// tvArrayRoundTrip sends vs as an array of typ and reads it back, as []T
// and as each element's text.
func tvArrayRoundTrip[T any](t *testing.T, c tvConn, typ string, vs []T) (got []T, texts []string) {
	t.Helper()
	err := c.conn.QueryRow(context.Background(), "SELECT $1::"+typ+"[], (SELECT array_agg(x::text ORDER BY i) FROM unnest($1::"+typ+"[]) WITH ORDINALITY AS u(x, i))", vs).Scan(&got, &texts)
	require.NoError(t, err)
	return got, texts
}

// TestRegisterTypesKeepsPgxTypes checks that the codecs of RegisterTypes
// leave the Go types of pgx to pgx, and that without it slices of the
// runtime's types cannot be parameters in the modes that do not ask the
// server.
func TestRegisterTypesKeepsPgxTypes(t *testing.T) {
	ctx := context.Background()
	tvEachConn(t, func(t *testing.T, c tvConn) {
		var (
			f     float64
			i     int64
			s     string
			n     pgtype.Numeric
			fs    []float64
			tm    time.Time
			id    [16]byte
			ids   []pgtype.UUID
			dur   time.Duration
			clock pgtype.Time
		)
		err := c.conn.QueryRow(ctx, "SELECT $1::numeric, $2::numeric, $3::numeric, $4::numeric, $5::numeric[]",
			1.5, int64(-7), "12.50", pgtype.Numeric{Int: big.NewInt(125), Exp: -1, Valid: true}, []float64{0.25, 2}).
			Scan(&f, &i, &s, &n, &fs)
		require.NoError(t, err)
		assert.Equal(t, 1.5, f)
		assert.Equal(t, int64(-7), i)
		assert.Equal(t, "12.50", s)
		v, err := n.Float64Value()
		require.NoError(t, err)
		assert.Equal(t, 12.5, v.Float64)
		assert.Equal(t, []float64{0.25, 2}, fs)

		err = c.conn.QueryRow(ctx, "SELECT $1::date, $2::uuid, ARRAY[$2::uuid], $3::interval, $4::time",
			time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), pgtype.UUID{Bytes: [16]byte{1}, Valid: true}, time.Hour, pgtype.Time{Microseconds: 5, Valid: true}).
			Scan(&tm, &id, &ids, &dur, &clock)
		require.NoError(t, err)
		assert.Equal(t, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), tm)
		assert.Equal(t, [16]byte{1}, id)
		assert.Equal(t, []pgtype.UUID{{Bytes: [16]byte{1}, Valid: true}}, ids)
		assert.Equal(t, time.Hour, dur)
		assert.Equal(t, pgtype.Time{Microseconds: 5, Valid: true}, clock)

		for _, slice := range []any{[]runtime.Decimal{{}}, []runtime.Date{{Year: 2024, Month: 1, Day: 1}}, []runtime.TimeOfDay{{}}, []runtime.Interval{{}}, []runtime.UUID{{}}} {
			_, err := c.conn.Exec(ctx, "SELECT $1", slice)
			if c.arrayParams() && !c.binary {
				require.NoError(t, err, "%T", slice)
			} else if !c.arrayParams() {
				require.Error(t, err, "%T", slice)
			}
		}
	})
}

// TestTypesNeedRegisterTypes: without RegisterTypes, pgx scans none of the
// runtime's types but UUID, an array of bytes, and takes no Array as a
// parameter.
func TestTypesNeedRegisterTypes(t *testing.T) {
	ctx := context.Background()
	tvEachConn(t, func(t *testing.T, c tvConn) {
		for _, tc := range []struct {
			sql  string
			dest any
		}{
			{"SELECT 1.5::numeric", new(runtime.Decimal)},
			{"SELECT '2024-02-29'::date", new(runtime.Date)},
			{"SELECT '04:05'::time", new(runtime.TimeOfDay)},
			{"SELECT '1 day'::interval", new(runtime.Interval)},
			{"SELECT '{1}'::int4[]", new(runtime.Array[int32])},
			{"SELECT gen_random_uuid()", new(runtime.UUID)},
		} {
			err := c.conn.QueryRow(ctx, tc.sql).Scan(tc.dest)
			_, isUUID := tc.dest.(*runtime.UUID)
			if c.registered || isUUID {
				assert.NoError(t, err, tc.sql)
			} else {
				assert.ErrorContains(t, err, "cannot scan", tc.sql)
			}
		}
		var same bool
		err := c.conn.QueryRow(ctx, "SELECT $1::int4[] = '{1}'", runtime.ArrayOf[int32](1)).Scan(&same)
		if c.registered {
			assert.NoError(t, err)
			assert.True(t, same)
		} else {
			assert.ErrorContains(t, err, "unable to encode")
		}
	})
}

// TestNumericBinaryAllocations: writing numeric's binary format allocates
// nothing, reading it the digits only.
func TestNumericBinaryAllocations(t *testing.T) {
	d := runtime.MustDecimal("-12345.678")
	buf := make([]byte, 0, 256)
	assert.Zero(t, testing.AllocsPerRun(100, func() { buf = appendNumericBinary(buf[:0], d) }))
	b := appendNumericBinary(nil, d)
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _, _ = parseNumericBinary(b) }))
}
