package handwritten_test

// Benchmarks of the generated SQLite items API against this hand-written
// baseline: a request through each router, one at a time, over a database
// file of 10,000 items (SQLite runs in the process, so its work is
// counted). make bench runs them with -benchmem.

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/bench/sqlite/api"
	"github.com/crudgen/crudgen/examples/bench/sqlite/handwritten"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

// discard is a ResponseWriter that keeps only the status, so that the
// handler benchmarks measure the handlers.
type discard struct {
	header http.Header
	status int
}

func (w *discard) Header() http.Header         { return w.header }
func (w *discard) WriteHeader(status int)      { w.status = status }
func (w *discard) Write(b []byte) (int, error) { return len(b), nil }

// benchRouters returns both routers over one new database file of rows
// items.
func benchRouters(b *testing.B, rows int) map[string]http.Handler {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	db, err := sqlite.Open(ctx, "sqlite:"+path, runtime.Settings{}) // creates the file from the schema
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })
	fixture, err := os.ReadFile("../fixture.sql")
	require.NoError(b, err)
	_, err = db.Exec(ctx, string(fixture), rows)
	require.NoError(b, err)
	_, err = db.Exec(ctx, "ANALYZE")
	require.NoError(b, err)
	pool, err := handwritten.Open(path, 4)
	require.NoError(b, err)
	b.Cleanup(func() { _ = pool.Close() })
	return map[string]http.Handler{
		"generated":   api.NewRouter(db, api.Options{Logger: slog.New(slog.DiscardHandler)}),
		"handwritten": handwritten.NewRouter(pool),
	}
}

func BenchmarkHandler(b *testing.B) {
	const rows = 10_000
	routers := benchRouters(b, rows)
	var seq atomic.Int64
	cases := []struct {
		name   string
		status int
		// request returns the i-th request for the router of side.
		request func(side string, i int) *http.Request
	}{
		{"get", http.StatusOK, func(_ string, i int) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/items/"+strconv.Itoa(1+i*7919%rows), nil)
		}},
		{"list20", http.StatusOK, func(side string, i int) *http.Request {
			if side == "handwritten" {
				return httptest.NewRequest(http.MethodGet, "/items?status=active&min_price="+strconv.Itoa(i%90)+"&sort=-price&limit=20", nil)
			}
			return httptest.NewRequest(http.MethodGet, "/items?status=active&price[gte]="+strconv.Itoa(i%90)+"&sort=-price&limit=20", nil)
		}},
		{"post", http.StatusCreated, func(side string, i int) *http.Request {
			n := seq.Add(1)
			body := fmt.Sprintf(`{"sku":"B-%s-%d","name":"new item %d","description":"made by a benchmark","price":"%d.%02d","quantity":%d,"tags":["new","bench"]}`,
				side[:1], n, n, i%1000, i%100, i%100)
			r := httptest.NewRequest(http.MethodPost, "/items", bytes.NewReader([]byte(body)))
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
		{"patch", http.StatusOK, func(_ string, i int) *http.Request {
			body := fmt.Sprintf(`{"quantity":%d,"name":"patched %d"}`, i%1000, i)
			r := httptest.NewRequest(http.MethodPatch, "/items/"+strconv.Itoa(1+i%rows), bytes.NewReader([]byte(body)))
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
	}
	for _, c := range cases {
		for _, side := range []string{"generated", "handwritten"} {
			router := routers[side]
			b.Run(c.name+"/"+side, func(b *testing.B) {
				b.ReportAllocs()
				w := &discard{header: http.Header{}}
				i := 0
				for b.Loop() {
					b.StopTimer()
					r := c.request(side, i)
					clear(w.header)
					b.StartTimer()
					router.ServeHTTP(w, r)
					if w.status != c.status {
						b.Fatalf("%s %s: status %d", r.Method, r.URL, w.status)
					}
					i++
				}
			})
		}
	}
}
