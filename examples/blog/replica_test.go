package blog_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// TestReadReplica: with Options.ReadDB, GETs read the replica's pool and
// writes go to the primary. A second database stands in for the replica,
// with different rows, so that where each read went shows.
func TestReadReplica(t *testing.T) {
	b := newBlog(t)
	replicaURL := pgtest.Fresh(t)
	require.NoError(t, loadSchema(context.Background(), replicaURL))
	replica := apitest.Pool(t, replicaURL)
	b.exec(t, "INSERT INTO tags VALUES ('primary-only')")
	_, err := replica.Exec(context.Background(), "INSERT INTO tags VALUES ('replica-only')")
	require.NoError(t, err)

	srv := httptest.NewServer(api.NewRouter(b.pool, api.Options{Logger: slog.New(slog.DiscardHandler), ReadDB: replica}))
	t.Cleanup(srv.Close)
	c := &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}

	assert.Equal(t, []any{obj{"name": "replica-only"}}, c.Do(t, http.MethodGet, "/tags", nil).Items(t))
	c.Do(t, http.MethodGet, "/tags/replica-only", nil).Object(t, http.StatusOK)
	c.Send(t, http.MethodGet, "/tags/primary-only", nil).Problem(t, http.StatusNotFound)

	c.Do(t, http.MethodPost, "/tags", obj{"name": "written"}).Object(t, http.StatusCreated)
	c.Do(t, http.MethodPut, "/tags/primary-only", obj{"name": "primary-only"}).Object(t, http.StatusOK)
	var onPrimary, onReplica int
	require.NoError(t, b.pool.QueryRow(context.Background(), "SELECT count(*) FROM tags WHERE name = 'written'").Scan(&onPrimary))
	require.NoError(t, replica.QueryRow(context.Background(), "SELECT count(*) FROM tags WHERE name = 'written'").Scan(&onReplica))
	assert.Equal(t, 1, onPrimary, "writes go to the primary")
	assert.Equal(t, 0, onReplica)
}
