package runtime

import (
	"context"
	"testing"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/require"
)

// Interim, like scan_interim.go, until scan_test.go moves to package
// postgres with scan.go: what it uses there, tvEachConn (as in
// postgres/pgtypes_test.go) and RegisterTypes. Delete this file and
// scan_interim_ext_test.go then.
//
// This tvEachConn connects with RegisterTypes only, unlike package
// postgres's: without it the runtime's types no longer scan at all, which
// the cases of scan_test.go, written when they did, do not expect.

// RegisterTypes is postgres.RegisterTypes, set by scan_interim_ext_test.go:
// this package's tests cannot import package postgres, which imports it.
var RegisterTypes func(m *pgtype.Map)

type tvConn struct {
	conn       *pgx.Conn
	registered bool // RegisterTypes was called
}

// tvEachConn runs fn as a subtest for each query execution mode, with
// RegisterTypes.
func tvEachConn(t *testing.T, fn func(t *testing.T, c tvConn)) {
	t.Helper()
	url := pgtest.URL(t)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol} {
		t.Run(mode.String()+"/registered", func(t *testing.T) {
			ctx := context.Background()
			cfg, err := pgx.ParseConfig(url)
			require.NoError(t, err)
			cfg.DefaultQueryExecMode = mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			require.NoError(t, err)
			t.Cleanup(func() { _ = conn.Close(context.Background()) })
			RegisterTypes(conn.TypeMap())
			fn(t, tvConn{conn: conn, registered: true})
		})
	}
}
