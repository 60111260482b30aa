package sqlite

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
)

var schema struct {
	sync.Mutex
	sql       string
	conflicts bool // two packages gave different schemas
}

// CreateWith sets the statements Open runs to create a database file that
// does not exist yet: generated packages call it with the schema they
// embed. Open never runs them on a file that exists. When two packages of
// one program give different schemas, Open cannot tell which database it
// opens and fails for new files: use OpenWith.
func CreateWith(sql string) {
	schema.Lock()
	defer schema.Unlock()
	if schema.sql != "" && sql != "" && schema.sql != sql {
		schema.conflicts = true
	}
	schema.sql = sql
}

// errSchemas is Open's error for a new file when packages gave different
// schemas.
var errSchemas = errors.New("sqlite: several generated packages gave their schemas to CreateWith: open the database with OpenWith and the schema of the package that serves it")

func createStatements() (string, error) {
	schema.Lock()
	defer schema.Unlock()
	if schema.conflicts {
		return "", errSchemas
	}
	return schema.sql, nil
}

// fileOf returns the file a file: URI names, and whether it is a file at
// all (not an in-memory database).
func fileOf(dsn string) (string, bool) {
	rest := strings.TrimPrefix(dsn, "file:")
	path, query, _ := strings.Cut(rest, "?")
	if q, err := url.ParseQuery(query); err == nil && q.Get("mode") == "memory" {
		return "", false
	}
	if p, ok := strings.CutPrefix(path, "//"); ok {
		// file://host/path: the path starts at its first slash.
		if i := strings.IndexByte(p, '/'); i >= 0 {
			path = p[i:]
		}
	}
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	if path == "" || path == ":memory:" {
		return "", false
	}
	return path, true
}

// exists reports whether the database file is there already.
func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// create runs the schema on the new database in one transaction; on
// failure it removes the file, so that the next start tries again.
func (db *DB) create(ctx context.Context, path, statements string) error {
	err := InTx(ctx, db, func(tx Tx) error {
		_, err := tx.Exec(ctx, statements)
		return err
	})
	if err == nil {
		return nil
	}
	_ = db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	return fmt.Errorf("creating %s from the schema: %w", path, err)
}
