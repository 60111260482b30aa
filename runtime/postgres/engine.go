package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func init() {
	runtime.RegisterEngine(runtime.Engine[*pgxpool.Pool]{
		Name: "PostgreSQL",
		Open: Pool,
		Ping: func(ctx context.Context, p *pgxpool.Pool) error { return p.Ping(ctx) },
		Close: func(p *pgxpool.Pool) {
			if p != nil {
				p.Close()
			}
		},
		Stats: func(p *pgxpool.Pool) runtime.PoolStats {
			s := p.Stat()
			return runtime.PoolStats{
				Acquired: int64(s.AcquiredConns()), Idle: int64(s.IdleConns()), Constructing: int64(s.ConstructingConns()),
				Max: int64(s.MaxConns()), Waits: s.EmptyAcquireCount(), WaitTime: s.AcquireDuration(),
			}
		},
	})
}

// Pool opens a pool on the database, with the runtime's codecs on every
// connection (RegisterTypes), the statement timeout on each session unless
// the URL sets one, the exec mode of the settings and their bound on the
// wait for a connection. It connects lazily: a database that is down now
// is not an error.
func Pool(ctx context.Context, databaseURL string, settings runtime.Settings) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, err
	}
	if settings.StatementTimeout > 0 {
		if _, set := cfg.ConnConfig.RuntimeParams["statement_timeout"]; !set {
			cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(settings.StatementTimeout.Milliseconds(), 10)
		}
	}
	mode, err := execMode(settings.ExecMode)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.DefaultQueryExecMode = mode
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		RegisterTypes(c.TypeMap())
		return nil
	}
	if settings.AcquireTimeout > 0 {
		cfg.ConnConfig.Tracer = acquireTimeout(settings.AcquireTimeout)
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}

// acquireTimeout bounds the wait for a connection of a pool: pgxpool
// waits for one with the context its AcquireTracer returns. Connections
// being made meanwhile are not abandoned (puddle makes them under a
// context of its own), and the statements that follow run under the
// request's context. The wait that runs out is an error that API.Error
// answers with a 503, known to have sent nothing.
type acquireTimeout time.Duration

type acquireCancelKey struct{}

func (d acquireTimeout) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
	return context.WithValue(ctx, acquireCancelKey{}, cancel)
}

func (acquireTimeout) TraceAcquireEnd(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireEndData) {
	if cancel, ok := ctx.Value(acquireCancelKey{}).(context.CancelFunc); ok {
		cancel()
	}
}

// TraceQueryStart and TraceQueryEnd make acquireTimeout a pgx.QueryTracer,
// which is what pgxpool looks for an AcquireTracer in.
func (acquireTimeout) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (acquireTimeout) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// execMode reads DB_EXEC_MODE.
func execMode(s string) (pgx.QueryExecMode, error) {
	switch s {
	case "", "cache_statement":
		return pgx.QueryExecModeCacheStatement, nil
	case "cache_describe":
		return pgx.QueryExecModeCacheDescribe, nil
	case "describe_exec":
		return pgx.QueryExecModeDescribeExec, nil
	case "exec":
		return pgx.QueryExecModeExec, nil
	case "simple_protocol":
		return pgx.QueryExecModeSimpleProtocol, nil
	}
	return 0, fmt.Errorf("DB_EXEC_MODE=%q is not one of cache_statement, cache_describe, describe_exec, exec, simple_protocol", s)
}
