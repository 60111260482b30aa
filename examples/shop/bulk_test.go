package shop_test

// Bulk creates (an array body: one statement, all rows or none, returned
// in input order) and upserts (Prefer: resolution=merge-duplicates).

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
)

func TestBulkCreate(t *testing.T) {
	s := newShop(t)
	var body []any
	for i := range 500 {
		row := obj{"email": fmt.Sprintf("c%03d@example.com", i), "full_name": fmt.Sprintf("Customer %d", i)}
		if i%3 == 0 {
			row["marketing_opt_in"] = true // an optional field some rows set and others leave to its default
		}
		if i%5 == 0 {
			row["phone"] = nil
		}
		body = append(body, row)
	}
	r := s.Do(t, http.MethodPost, "/customers", body)
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Raw)
	assert.Empty(t, r.Header.Get("Location"), "no single Location for many rows")
	rows, ok := r.Body.([]any)
	require.True(t, ok, "an array of rows: %s", r.Raw)
	require.Len(t, rows, 500)
	for i, it := range rows {
		row := it.(map[string]any)
		assert.Equal(t, fmt.Sprintf("c%03d@example.com", i), row["email"], "input order")
		assert.Equal(t, i%3 == 0, row["marketing_opt_in"], "absent means the default")
		assert.Equal(t, num(fmt.Sprint(i+1)), row["id"])
	}
	assert.Equal(t, 500, s.count(t, "customers"))
	items, _ := s.Do(t, http.MethodGet, "/customers?limit=3&sort=-id", nil).Page(t)
	assert.Equal(t, "c499@example.com", items[0].(map[string]any)["email"])
}

// TestBulkCreateAtomic: an invalid row anywhere rejects the whole array,
// located by index, and a row the database refuses writes none either.
func TestBulkCreateAtomic(t *testing.T) {
	s := newShop(t)
	s.customer(t, "taken@example.com")
	valid := func(i int) obj { return obj{"email": fmt.Sprintf("v%d@example.com", i), "full_name": "V"} }

	s.Send(t, http.MethodPost, "/customers", []any{valid(0), obj{"email": "not-an-email", "full_name": "X"}, valid(2), obj{"email": "y@example.com", "full_name": ""}, valid(4)}).
		ErrorsOf(t, http.StatusUnprocessableEntity,
			apitest.At("pattern", "body", 1, "email"),
			apitest.At("min_length", "body", 3, "full_name"))
	s.Send(t, http.MethodPost, "/customers", []any{valid(0), valid(1), obj{"email": "y@example.com"}}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("required", "body", 2, "full_name"))
	s.Send(t, http.MethodPost, "/customers", []any{valid(0), obj{"email": "z@example.com", "full_name": "Z", "id": 9}}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("read_only", "body", 1, "id"))
	s.Send(t, http.MethodPost, "/customers", []any{valid(0), "nope"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "body", 1))
	assert.Equal(t, 1, s.count(t, "customers"), "nothing written")

	// The database refuses row 3: a duplicate email. Rows 0 to 2 are not kept.
	s.Send(t, http.MethodPost, "/customers", []any{valid(10), valid(11), valid(12), obj{"email": "taken@example.com", "full_name": "T"}}).
		ErrorsOf(t, http.StatusConflict, apitest.At("unique", "body", "email"))
	// Two rows of one request that collide with each other.
	s.Send(t, http.MethodPost, "/customers", []any{valid(20), valid(20)}).
		ErrorsOf(t, http.StatusConflict, apitest.At("unique", "body", "email"))
	assert.Equal(t, 1, s.count(t, "customers"), "nothing written")

	s.Send(t, http.MethodPost, "/customers", []any{}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("min_length", "body"))
	var tooMany []any
	for i := range 1001 {
		tooMany = append(tooMany, valid(i))
	}
	s.Send(t, http.MethodPost, "/customers", tooMany).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("maximum", "body", 1000))
	assert.Equal(t, 1, s.count(t, "customers"))
}

// TestUpsert: inventory's key is the product, which the client gives:
// merge-duplicates inserts the first time (201) and updates after (200),
// changing only the fields given.
func TestUpsert(t *testing.T) {
	s := newShop(t)
	sup := s.supplier(t, "Acme")
	p1 := s.product(t, sup, "SKU-1", "9.99", 0)
	p2 := s.product(t, sup, "SKU-2", "5.00", 0)
	merge := apitest.WithHeader("Prefer", "resolution=merge-duplicates")
	_, err := s.pool.Exec(context.Background(), "DELETE FROM inventory") // products get theirs by trigger
	require.NoError(t, err)

	r := s.Do(t, http.MethodPost, "/inventories", obj{"product_id": p1["id"], "quantity": 5, "reorder_level": 2}, merge)
	row := r.Object(t, http.StatusCreated)
	assert.Equal(t, "resolution=merge-duplicates", r.Header.Get("Preference-Applied"))
	assert.Equal(t, "/inventories/"+fmt.Sprint(p1["id"]), r.Header.Get("Location"))
	assert.Equal(t, num("5"), row["quantity"])

	r = s.Do(t, http.MethodPost, "/inventories", obj{"product_id": p1["id"], "quantity": 8}, merge)
	row = r.Object(t, http.StatusOK)
	assert.Equal(t, "resolution=merge-duplicates", r.Header.Get("Preference-Applied"))
	assert.Empty(t, r.Header.Get("Location"))
	assert.Equal(t, num("8"), row["quantity"])
	assert.Equal(t, num("2"), row["reorder_level"], "a field left out keeps its value")

	// Without the preference, the same row conflicts.
	s.Send(t, http.MethodPost, "/inventories", obj{"product_id": p1["id"], "quantity": 1}).
		ErrorsOf(t, http.StatusConflict, apitest.At("unique", "body", "product_id"))

	// In bulk: one existing row updated, one new row inserted, in input order.
	r = s.Do(t, http.MethodPost, "/inventories", []any{obj{"product_id": p2["id"], "quantity": 1}, obj{"product_id": p1["id"], "quantity": 0}}, merge)
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Raw)
	rows := r.Body.([]any)
	require.Len(t, rows, 2)
	assert.Equal(t, p2["id"], rows[0].(map[string]any)["product_id"])
	assert.Equal(t, num("0"), rows[1].(map[string]any)["quantity"])
	assert.Equal(t, num("2"), rows[1].(map[string]any)["reorder_level"])
	assert.Equal(t, 2, s.count(t, "inventory"))

	// Two rows with one key in one upsert: a conflict, and nothing written.
	s.Send(t, http.MethodPost, "/inventories", []any{obj{"product_id": p1["id"], "quantity": 3}, obj{"product_id": p1["id"], "quantity": 4}}, merge).
		ErrorsOf(t, http.StatusConflict, apitest.At("unique", "body"))
	assert.Equal(t, num("0"), s.Do(t, http.MethodGet, "/inventories/"+fmt.Sprint(p1["id"]), nil).Object(t, http.StatusOK)["quantity"])

	// A violated CHECK in an upsert is still located at its field.
	s.Send(t, http.MethodPost, "/inventories", obj{"product_id": p1["id"], "quantity": -1}, merge).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("minimum", "body", "quantity"))

	// Nullable fields left out keep their values; an explicit null clears.
	acme := s.Do(t, http.MethodPost, "/suppliers", obj{"name": "Nullable Co", "country": "DE", "contact_email": "sales@nullable.example"}).Object(t, http.StatusCreated)
	row = s.Do(t, http.MethodPost, "/suppliers", obj{"id": acme["id"], "name": "Nullable Ltd"}, merge).Object(t, http.StatusOK)
	assert.Equal(t, "Nullable Ltd", row["name"])
	assert.Equal(t, "DE", row["country"])
	assert.Equal(t, "sales@nullable.example", row["contact_email"])
	row = s.Do(t, http.MethodPost, "/suppliers", obj{"id": acme["id"], "name": "Nullable Ltd", "country": nil}, merge).Object(t, http.StatusOK)
	assert.Nil(t, row["country"])
	assert.Equal(t, "sales@nullable.example", row["contact_email"])

	// The rows of one upsert carry the same fields: PostgreSQL's ON
	// CONFLICT cannot tell them apart, so a row lacking a field the others
	// carry would overwrite it with the default. Nothing is written.
	s.Send(t, http.MethodPost, "/suppliers", []any{
		obj{"id": acme["id"], "name": "A", "country": "FR"},
		obj{"name": "B"},
	}, merge).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("required", "body", 1, "id"), apitest.At("required", "body", 1, "country"))
	assert.Equal(t, "Nullable Ltd", s.Do(t, http.MethodGet, fmt.Sprint("/suppliers/", acme["id"]), nil).Object(t, http.StatusOK)["name"])
}
