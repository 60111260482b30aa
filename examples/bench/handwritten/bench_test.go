package handwritten

// Benchmarks of crudgen's generated items API against this hand-written
// baseline, piece by piece (decode and validate, encode a row and a page)
// and whole (a request through each router against a real database).
// make bench runs them with -benchmem.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/bench/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

var createBody = []byte(`{"sku":"N-1","name":"new item","description":"made by a benchmark","price":"12.50","quantity":3,"status":"active","tags":["new","bench"]}`)

func BenchmarkDecodeValidate(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req api.CreateItemRequest
			if err := runtime.Decode(createBody, &req); err != nil {
				b.Fatal(err)
			}
			if err := req.Validate(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var in createItem
			dec := json.NewDecoder(bytes.NewReader(createBody))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				b.Fatal(err)
			}
			if msg := in.validate(); msg != "" {
				b.Fatal(msg)
			}
		}
	})
}

// benchRows returns n rows as each side holds them.
func benchRows(tb testing.TB, n int) ([]api.Item, []Item) {
	gen := make([]api.Item, n)
	hand := make([]Item, n)
	created := time.Date(2026, 11, 22, 10, 30, 0, 123456000, time.UTC)
	for i := range n {
		desc := fmt.Sprintf("the description of item %d", i)
		price := fmt.Sprintf("%d.%02d", i%100, i%97)
		gen[i] = api.Item{ID: int64(i + 1), SKU: fmt.Sprintf("SKU-%d", i), Name: fmt.Sprintf("item %d", i),
			Description: &desc, Quantity: int32(i % 500), Status: api.ItemStatusActive,
			Tags: runtime.ArrayOf("tag"+strconv.Itoa(i%7), "tag"+strconv.Itoa(i%11)), CreatedAt: created}
		gen[i].Price = runtime.MustDecimal(price)
		hand[i] = Item{ID: gen[i].ID, SKU: gen[i].SKU, Name: gen[i].Name, Description: &desc,
			Quantity: gen[i].Quantity, Status: "active", Tags: gen[i].Tags.Elems, CreatedAt: created}
		require.NoError(tb, hand[i].Price.Scan(price))
	}
	return gen, hand
}

func BenchmarkEncode(b *testing.B) {
	gen, hand := benchRows(b, 20)
	var buf []byte
	b.Run("row/generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = gen[0].AppendJSON(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("row/handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = json.Marshal(&hand[0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("page20/generated", func(b *testing.B) {
		b.ReportAllocs()
		page := runtime.Page[api.Item]{Items: gen, Append: (*api.Item).AppendJSON}
		for b.Loop() {
			buf = page.AppendJSON(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("page20/handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = json.Marshal(map[string]any{"items": hand})
		}
		b.SetBytes(int64(len(buf)))
	})
}

// TestEncodeAgrees: the rows the benchmarks encode read back alike from
// both encoders (the price is a string on one side, a number on the
// other).
func TestEncodeAgrees(t *testing.T) {
	gen, hand := benchRows(t, 3)
	for i := range gen {
		var g, h map[string]any
		require.NoError(t, json.Unmarshal(gen[i].AppendJSON(nil), &g))
		raw, err := json.Marshal(&hand[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &h))
		hp, err := strconv.ParseFloat(fmt.Sprint(h["price"]), 64)
		require.NoError(t, err)
		gp, err := strconv.ParseFloat(g["price"].(string), 64)
		require.NoError(t, err)
		require.Equal(t, hp, gp)
		delete(g, "price")
		delete(h, "price")
		require.Equal(t, h, g)
	}
}

// discard is a ResponseWriter that keeps only the status, so that the
// handler benchmarks measure the handlers.
type discard struct {
	header http.Header
	status int
}

func (w *discard) Header() http.Header         { return w.header }
func (w *discard) WriteHeader(status int)      { w.status = status }
func (w *discard) Write(b []byte) (int, error) { return len(b), nil }

// benchPool returns a pool over the package's database holding the bench
// schema and rows items.
func benchPool(b *testing.B, rows int) *pgxpool.Pool {
	pool := apitest.Pool(b, pgtest.URL(b))
	ctx := context.Background()
	schema, err := os.ReadFile("../schema.sql")
	require.NoError(b, err)
	_, err = pool.Exec(ctx, "DROP TABLE IF EXISTS items; DROP TYPE IF EXISTS item_status;"+string(schema))
	require.NoError(b, err)
	fixture, err := os.ReadFile("../fixture.sql")
	require.NoError(b, err)
	_, err = pool.Exec(ctx, string(fixture), rows)
	require.NoError(b, err)
	_, err = pool.Exec(ctx, "ANALYZE items")
	require.NoError(b, err)
	return pool
}

// BenchmarkHandler sends requests through each router, one at a time,
// against PostgreSQL: what a request costs the server, database round
// trip included.
func BenchmarkHandler(b *testing.B) {
	const rows = 10_000
	pool := benchPool(b, rows)
	routers := map[string]http.Handler{
		"generated":   api.NewRouter(pool, api.Options{Logger: slog.New(slog.DiscardHandler)}),
		"handwritten": NewRouter(pool),
	}
	var seq atomic.Int64
	cases := []struct {
		name   string
		status int
		// request returns the i-th request for the router of side.
		request func(side string, i int) *http.Request
	}{
		{"get", http.StatusOK, func(_ string, i int) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/items/"+strconv.Itoa(1+i%rows), nil)
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

// BenchmarkGetParallel sends GETs by id from 16 goroutines at once, where
// the generated API's reads by key share statements.
func BenchmarkGetParallel(b *testing.B) {
	const rows = 10_000
	pool := benchPool(b, rows)
	routers := map[string]http.Handler{
		"generated":   api.NewRouter(pool, api.Options{Logger: slog.New(slog.DiscardHandler)}),
		"handwritten": NewRouter(pool),
	}
	for _, side := range []string{"generated", "handwritten"} {
		router := routers[side]
		b.Run(side, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(8) // 16 goroutines on 2 cores
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				w := &discard{header: http.Header{}}
				r := httptest.NewRequest(http.MethodGet, "/items/1", nil)
				for pb.Next() {
					r.URL.Path = "/items/" + strconv.Itoa(1+int(next.Add(1))%rows)
					clear(w.header)
					router.ServeHTTP(w, r)
					if w.status != http.StatusOK {
						b.Errorf("GET %s: status %d", r.URL.Path, w.status)
						return
					}
				}
			})
		})
	}
}
