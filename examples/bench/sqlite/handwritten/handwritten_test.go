package handwritten_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/bench/sqlite/api"
	"github.com/crudgen/crudgen/examples/bench/sqlite/handwritten"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

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

// TestSameAnswers: both servers, over one database file, answer alike.
func TestSameAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.db")
	db, err := sqlite.Open(context.Background(), "sqlite:"+path, runtime.Settings{}) // creates the file from the schema
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	pool, err := handwritten.Open(path, 4)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pool.Close() })
	hand := httptest.NewServer(handwritten.NewRouter(pool))
	t.Cleanup(hand.Close)
	gen := httptest.NewServer(api.NewRouter(db, api.Options{Logger: slog.New(slog.DiscardHandler)}))
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
				"price": fmt.Sprintf("%d.%d5", i, i%10), "quantity": i, "status": status, "tags": []string{"a", "b"},
			})
			require.Equal(t, http.StatusCreated, code, "%v", row)
		}
	}
	for _, id := range []string{"5", "6"} {
		code, fromHand := call(t, hand.URL, http.MethodGet, "/items/"+id, nil)
		require.Equal(t, http.StatusOK, code)
		code, fromGen := call(t, gen.URL, http.MethodGet, "/items/"+id, nil)
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, same(fromHand), same(fromGen))
		assert.Equal(t, fromHand["id"], fromGen["id"])
	}

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

	// Patch, not found, conflicts, checks, delete.
	code, patched := call(t, hand.URL, http.MethodPatch, "/items/5", map[string]any{"name": "renamed", "quantity": 7, "tags": []string{"c"}})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "renamed", patched["name"])
	assert.NotNil(t, patched["updated_at"])
	code, patched = call(t, gen.URL, http.MethodPatch, "/items/6", map[string]any{"name": "renamed", "quantity": 7, "tags": []string{"c"}})
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
	for _, id := range []string{"7", "8"} {
		code, _ = call(t, hand.URL, http.MethodGet, "/items/"+id, nil)
		assert.Equal(t, http.StatusNotFound, code)
	}
}
