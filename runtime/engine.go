package runtime

import (
	"context"
	"reflect"
	"sync"
	"time"
)

// Engine is what runtime/server needs of a database engine to serve an API
// on it. Each engine adapter (runtime/postgres, runtime/sqlite) registers
// one with RegisterEngine for the handle type its generated Handler takes,
// such as *pgxpool.Pool, so that server.Main(api.Handler) finds the engine
// from the handler's type and the server imports no driver.
type Engine[DB any] struct {
	// Name names the engine in logs and errors: "PostgreSQL".
	Name string
	// Open opens a handle on the database at url. It may connect lazily:
	// a database that is down now need not be an error.
	Open func(ctx context.Context, url string, s Settings) (DB, error)
	// Ping checks that the database answers.
	Ping func(ctx context.Context, db DB) error
	// Close releases the handle once the server is done with it.
	Close func(db DB)
	// Stats reads the handle's connection pool for metrics; nil: none.
	Stats func(db DB) PoolStats
}

// Settings are what a server's configuration says about connections;
// engines apply those that mean something to them.
type Settings struct {
	// StatementTimeout bounds each statement; 0: no bound.
	StatementTimeout time.Duration
	// AcquireTimeout bounds the wait for a connection of a busy pool; 0:
	// as long as the request lasts.
	AcquireTimeout time.Duration
	// ExecMode is how PostgreSQL's driver sends statements (DB_EXEC_MODE).
	ExecMode string
}

// PoolStats are a connection pool's figures at one moment.
type PoolStats struct {
	Acquired, Idle, Constructing, Max int64
	// Waits counts acquires that waited for a connection, for WaitTime in
	// all.
	Waits    int64
	WaitTime time.Duration
}

var engines sync.Map // reflect.Type of the handle -> Engine of it

// RegisterEngine makes e the engine of its handle type DB.
func RegisterEngine[DB any](e Engine[DB]) {
	engines.Store(reflect.TypeFor[DB](), e)
}

// EngineOf returns the engine registered for the handle type DB.
func EngineOf[DB any]() (Engine[DB], bool) {
	e, ok := engines.Load(reflect.TypeFor[DB]())
	if !ok {
		return Engine[DB]{}, false
	}
	return e.(Engine[DB]), true
}
