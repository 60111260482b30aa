package handwritten_test

// The baseline and the generated API answer the same requests with the
// same rows, so that measuring one against the other compares like with
// like.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/bench/api"
	"github.com/crudgen/crudgen/examples/bench/handwritten"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// call sends a JSON request and decodes the JSON answer (numbers kept as
// text).
func call(t *testing.T, base, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var in io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, in)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var out map[string]any
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&out), "%s", raw)
	}
	return res.StatusCode, out
}

// same reduces a row to what both servers must agree on.
func same(row map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range row {
		switch k {
		case "id", "created_at", "updated_at":
		case "price":
			out[k] = fmt.Sprint(v) // a JSON number on one side, a string on the other
		default:
			out[k] = v
		}
	}
	return out
}

func TestSameAnswers(t *testing.T) {
	pool := apitest.Pool(t, pgtest.URL(t))
	schema, err := os.ReadFile("../schema.sql")
	require.NoError(t, err)
	_, err = pool.Exec(context.Background(), string(schema))
	require.NoError(t, err)
	hand := httptest.NewServer(handwritten.NewRouter(pool))
	t.Cleanup(hand.Close)
	gen := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(gen.Close)

	// Rows created through each server read back alike through both.
	for i := range 30 {
		status := "active"
		if i%3 == 0 {
			status = "discontinued"
		}
		for side, base := range map[string]string{"H": hand.URL, "G": gen.URL} {
			code, row := call(t, base, http.MethodPost, "/items", map[string]any{
				"sku": fmt.Sprintf("%s-%d", side, i), "name": fmt.Sprintf("item %d", i),
				"price": fmt.Sprintf("%d.%02d", i, i), "quantity": i, "status": status, "tags": []string{"a", "b"},
			})
			require.Equal(t, http.StatusCreated, code, "%v", row)
		}
	}
	code, fromHand := call(t, hand.URL, http.MethodGet, "/items/5", nil)
	require.Equal(t, http.StatusOK, code)
	code, fromGen := call(t, gen.URL, http.MethodGet, "/items/5", nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, same(fromHand), same(fromGen))
	assert.Equal(t, fromHand["id"], fromGen["id"])

	// The list of the comparison: a filter and a sort, 20 rows.
	_, handList := call(t, hand.URL, http.MethodGet, "/items?status=active&min_price=3&sort=-price&limit=20", nil)
	_, genList := call(t, gen.URL, http.MethodGet, "/items?status=active&price[gte]=3&sort=-price&limit=20", nil)
	handItems, genItems := handList["items"].([]any), genList["items"].([]any)
	require.Len(t, handItems, 20)
	require.Len(t, genItems, 20)
	for i := range handItems {
		h, g := handItems[i].(map[string]any), genItems[i].(map[string]any)
		assert.Equal(t, h["id"], g["id"], "row %d", i)
		assert.Equal(t, same(h), same(g), "row %d", i)
	}

	// Patch, not found, delete.
	code, patched := call(t, hand.URL, http.MethodPatch, "/items/5", map[string]any{"name": "renamed", "quantity": 7})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "renamed", patched["name"])
	code, patched = call(t, gen.URL, http.MethodPatch, "/items/6", map[string]any{"name": "renamed", "quantity": 7})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "renamed", patched["name"])
	for _, base := range []string{hand.URL, gen.URL} {
		code, _ = call(t, base, http.MethodGet, "/items/999999", nil)
		assert.Equal(t, http.StatusNotFound, code)
		code, _ = call(t, base, http.MethodPost, "/items", map[string]any{"sku": "H-0", "name": "x", "price": "1"})
		assert.Equal(t, http.StatusConflict, code)
		code, _ = call(t, base, http.MethodPost, "/items", map[string]any{"sku": "NEG", "name": "x", "price": "-1"})
		assert.Equal(t, http.StatusUnprocessableEntity, code)
	}
	code, _ = call(t, hand.URL, http.MethodDelete, "/items/7", nil)
	assert.Equal(t, http.StatusNoContent, code)
	code, _ = call(t, gen.URL, http.MethodDelete, "/items/8", nil)
	assert.Equal(t, http.StatusNoContent, code)
}

// slowFirst is a pool whose first single-row read waits until release is
// closed, so that the GETs behind it queue up and share a statement.
type slowFirst struct {
	*pgxpool.Pool
	once    sync.Once
	reading chan struct{} // closed when the first read has started
	release chan struct{}
	mu      sync.Mutex
	batch   []string // the statements reading many keys
}

// The generated store reads a row by key through Query (runtime.QueryRow).
func (db *slowFirst) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if strings.Contains(sql, "= ANY($1)") {
		db.mu.Lock()
		db.batch = append(db.batch, sql)
		db.mu.Unlock()
	} else {
		db.once.Do(func() {
			close(db.reading)
			<-db.release
		})
	}
	return db.Pool.Query(ctx, sql, args...)
}

// TestCoalescedGets: GETs that arrive while one is reading share one
// statement, and each still gets its own row, or a 404.
func TestCoalescedGets(t *testing.T) {
	pool := apitest.Pool(t, pgtest.Fresh(t))
	schema, err := os.ReadFile("../schema.sql")
	require.NoError(t, err)
	_, err = pool.Exec(context.Background(), string(schema)+
		` INSERT INTO items (sku, name, price) SELECT 'C-' || g, 'item ' || g, g FROM generate_series(1, 50) g`)
	require.NoError(t, err)
	db := &slowFirst{Pool: pool, reading: make(chan struct{}), release: make(chan struct{})}
	router := api.NewRouter(db, api.Options{Logger: slog.New(slog.DiscardHandler)})
	var arrived sync.WaitGroup // the GETs that reached the router
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/items/40" {
			arrived.Done()
		}
		router.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	ids := []int{1, 7, 7, 13, 50, 51, 999, 2, 3, 4, 5, 6, 8, 9, 10, 11}
	codes := make([]int, len(ids))
	rows := make([]map[string]any, len(ids))
	var wg sync.WaitGroup
	wg.Go(func() { call(t, srv.URL, http.MethodGet, "/items/40", nil) }) // the slow one
	<-db.reading
	arrived.Add(len(ids))
	for i, id := range ids {
		wg.Go(func() { codes[i], rows[i] = call(t, srv.URL, http.MethodGet, "/items/"+strconv.Itoa(id), nil) })
	}
	arrived.Wait()
	// From the router to the coalescer's queue takes microseconds: the
	// pause only covers a loaded machine's scheduling.
	time.Sleep(100 * time.Millisecond)
	close(db.release)
	wg.Wait()
	for i, id := range ids {
		if id > 50 {
			assert.Equal(t, http.StatusNotFound, codes[i], "id %d", id)
			continue
		}
		require.Equal(t, http.StatusOK, codes[i], "id %d", id)
		assert.Equal(t, json.Number(strconv.Itoa(id)), rows[i]["id"])
		assert.Equal(t, "C-"+strconv.Itoa(id), rows[i]["sku"])
	}
	assert.Len(t, db.batch, 1, "the GETs that waited shared one statement")
}
