package runtime

import (
	"context"
	"testing"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// The tests of Decimal, Date, TimeOfDay, Interval and UUID against
// PostgreSQL run every query on one connection per query execution mode,
// each with and without RegisterTypes:
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
	url := pgtest.URL(t)
	for _, m := range tvModes {
		for _, registered := range []bool{false, true} {
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
// and as each element's text. Without RegisterTypes, the modes that do not
// ask the server for parameter types cannot send vs; the array then comes
// from PostgreSQL's text of the elements instead.
func tvArrayRoundTrip[T interface{ String() string }](t *testing.T, c tvConn, typ string, vs []T) (got []T, texts []string) {
	t.Helper()
	ctx := context.Background()
	if c.arrayParams() {
		err := c.conn.QueryRow(ctx, "SELECT $1::"+typ+"[], (SELECT array_agg(x::text ORDER BY i) FROM unnest($1::"+typ+"[]) WITH ORDINALITY AS u(x, i))", vs).Scan(&got, &texts)
		require.NoError(t, err)
		return got, texts
	}
	in := make([]string, len(vs))
	for i, v := range vs {
		in[i] = v.String()
	}
	err := c.conn.QueryRow(ctx, "SELECT array_agg(x::"+typ+" ORDER BY i), array_agg(x::"+typ+"::text ORDER BY i) FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i)", in).Scan(&got, &texts)
	require.NoError(t, err)
	return got, texts
}
