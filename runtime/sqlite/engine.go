package sqlite

import (
	"context"

	"github.com/crudgen/crudgen/runtime"
)

func init() {
	runtime.RegisterEngine(runtime.Engine[*DB]{
		Name: "SQLite",
		Open: Open,
		Ping: func(ctx context.Context, db *DB) error { return db.Ping(ctx) },
		Close: func(db *DB) {
			if db != nil {
				_ = db.Close()
			}
		},
		Stats: func(db *DB) runtime.PoolStats {
			s := db.read.Stats()
			w := db.write.Stats()
			return runtime.PoolStats{
				Acquired: int64(s.InUse + w.InUse), Idle: int64(s.Idle + w.Idle),
				Max: int64(s.MaxOpenConnections + w.MaxOpenConnections), Waits: s.WaitCount + w.WaitCount,
				WaitTime: s.WaitDuration + w.WaitDuration,
			}
		},
	})
}
