package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxStatements is how many prepared statements a pool keeps; statements
// past them run unprepared, so that clients combining filters and sorts
// cannot make the cache grow without bound.
const maxStatements = 256

// statements is a pool that runs each statement prepared: prepared on a
// connection the first time it runs there, then kept, by its SQL text, for
// as long as the pool, so that SQLite parses and plans a statement the
// server runs again and again once per connection instead of every time
// (as pgx's statement cache does on PostgreSQL). SQLite prepares a kept
// statement again by itself when the schema changes.
//
// Only a pool's statements are kept: on a pool each query has its
// connection to itself until its rows are closed, which a transaction's
// queries do not.
type statements struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStatements(db *sql.DB) *statements {
	return &statements{db: db, m: map[string]*sql.Stmt{}}
}

// prepared returns the kept statement of query, preparing it if there is
// room; nil when there is none.
func (s *statements) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.RLock()
	stmt, full := s.m[query], len(s.m) >= maxStatements
	s.mu.RUnlock()
	if stmt != nil || full {
		return stmt, nil
	}
	// Prepared outside the lock, which would otherwise make every query
	// wait for this one's connection.
	stmt, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if kept := s.m[query]; kept != nil || len(s.m) >= maxStatements {
		_ = stmt.Close() // another query prepared it meanwhile, or took the last room
		return kept, nil
	}
	s.m[query] = stmt
	return stmt, nil
}

// QueryContext runs query, prepared when there is room.
func (s *statements) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	switch stmt, err := s.prepared(ctx, query); {
	case err != nil:
		return nil, err
	case stmt == nil:
		return s.db.QueryContext(ctx, query, args...)
	default:
		return stmt.QueryContext(ctx, args...)
	}
}

// ExecContext runs query, prepared when there is room.
func (s *statements) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	switch stmt, err := s.prepared(ctx, query); {
	case err != nil:
		return nil, err
	case stmt == nil:
		return s.db.ExecContext(ctx, query, args...)
	default:
		return stmt.ExecContext(ctx, args...)
	}
}

// Close closes the kept statements, then the pool.
func (s *statements) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for query, stmt := range s.m {
		errs = append(errs, stmt.Close())
		delete(s.m, query)
	}
	return errors.Join(append(errs, s.db.Close())...)
}
