package shop_test

// Fuzz targets of the shop API over PostgreSQL: fuzzed bodies to its
// create (one row or many), upsert, replace and patch routes, and fuzzed
// paths and query strings to its lists, nested lists, gets and deletes.
// Each input runs in a transaction rolled back after it, over the rows of
// shopFixture; apitest.Fuzzer checks each answer (no 5xx, a well-formed
// problem or success, conforming to the document). Seeds run with go
// test; `make fuzz` fuzzes.

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/shop/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// newFuzzer returns a Fuzzer of the shop over the package's database,
// emptied and loaded with shopFixture.
func newFuzzer(f *testing.F) *apitest.Fuzzer {
	f.Helper()
	ctx := context.Background()
	dbURL := pgtest.URL(f)
	schemaOnce.Do(func() { schemaErr = loadSchema(ctx, dbURL) })
	require.NoError(f, schemaErr, "load schema.sql")
	pool := apitest.Pool(f, dbURL, func(cfg *pgxpool.Config) {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = "5s" // a slow input fails, it does not hang
	})
	_, err := pool.Exec(ctx, emptyAll+shopFixture)
	require.NoError(f, err)
	return apitest.NewFuzzer(f, pool, "api/openapi.json", func(db *apitest.TxDB, logger *slog.Logger) http.Handler {
		return api.NewRouter(db, api.Options{Logger: logger})
	})
}

// bodyRoutes are the operations that read a body, at keys of the fixture.
var bodyRoutes = []struct {
	method, path string
	merge        bool // Prefer: resolution=merge-duplicates
}{
	{"POST", "/customers", false}, {"PATCH", "/customers/1", false},
	{"POST", "/addresses", false}, {"PUT", "/addresses/1", false},
	{"POST", "/suppliers", false}, {"POST", "/suppliers", true},
	{"POST", "/categories", false}, {"PATCH", "/categories/1", false},
	{"POST", "/products", false}, {"PUT", "/products/1", false}, {"PATCH", "/products/1", false},
	{"POST", "/product_categories", false}, {"POST", "/product_categories", true},
	{"POST", "/inventories", false}, {"POST", "/inventories", true}, {"PATCH", "/inventories/1", false},
	{"POST", "/coupons", false}, {"PATCH", "/coupons/1", false},
	{"POST", "/carts", false}, {"POST", "/cart_items", false}, {"POST", "/cart_items", true}, {"PATCH", "/cart_items/1/1", false},
	{"POST", "/orders", false}, {"PATCH", "/orders/1", false},
	{"POST", "/order_items", false}, {"PATCH", "/order_items/1", false},
	{"POST", "/payments", false}, {"POST", "/shipments", false}, {"PATCH", "/shipments/1", false},
	{"POST", "/reviews", false}, {"PUT", "/reviews/1", false},
}

func routeOf(method, path string, merge bool) uint8 {
	for i, r := range bodyRoutes {
		if r.method == method && r.path == path && r.merge == merge {
			return uint8(i)
		}
	}
	panic("no route " + method + " " + path)
}

func FuzzBodies(f *testing.F) {
	for _, s := range []struct {
		method, path string
		merge        bool
		body         string
	}{
		{"POST", "/customers", false, `{"email": "bo@example.com", "full_name": "Bo", "phone": "+49 30 1234", "marketing_opt_in": true}`},
		{"POST", "/customers", false, `[{"email": "a@x", "full_name": "A"}, {"email": "b@x", "full_name": "B", "phone": null}]`},
		{"PATCH", "/customers/1", false, `{"full_name": "Ada L.", "created_at": "2026-01-01T00:00:00Z"}`},
		{"POST", "/addresses", false, `{"customer_id": 1, "label": "work", "line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117", "country": "DE", "is_default": true}`},
		{"PUT", "/addresses/1", false, `{"customer_id": 1, "line1": "A", "line2": null, "city": "B", "postal_code": "1", "country": "FR"}`},
		{"POST", "/suppliers", true, `[{"id": 1, "name": "Acme Ltd"}, {"id": 7, "name": "New", "country": "SE", "contact_email": "s@x"}]`},
		{"POST", "/categories", false, `{"name": "Desk lamps", "slug": "desk-lamps", "parent_id": 1}`},
		{"PATCH", "/categories/1", false, `{"parent_id": 1}`},
		{"POST", "/products", false, `{"sku": "CHAIR-2", "supplier_id": 1, "name": "Chair", "price": 120.5, "currency": "USD", "attributes": {"legs": 4}, "tags": ["wood"], "weight_grams": 7000}`},
		{"POST", "/products", false, `[{"sku": "A-1", "supplier_id": 1, "name": "A", "price": "0.01"}, {"sku": "A-2", "supplier_id": 1, "name": "B", "price": "9999999999.99", "active": false}]`},
		{"PUT", "/products/1", false, `{"sku": "LAMP-1", "supplier_id": 1, "name": "Lamp", "price": "59.90"}`},
		{"PATCH", "/products/1", false, `{"price": "49.999", "tags": [], "attributes": null, "weight_grams": null}`},
		{"POST", "/product_categories", true, `[{"product_id": 1, "category_id": 1}]`},
		{"POST", "/inventories", true, `[{"product_id": 1, "quantity": 9, "reorder_level": 2}]`},
		{"PATCH", "/inventories/1", false, `{"quantity": 0, "updated_at": "2026-06-01T00:00:00+02:00"}`},
		{"POST", "/coupons", false, `{"code": "WINTER", "discount_percent": "12.5", "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2026-03-01T00:00:00Z", "max_redemptions": 100}`},
		{"PATCH", "/coupons/1", false, `{"valid_until": "2000-01-01T00:00:00Z"}`},
		{"POST", "/carts", false, `{"customer_id": null, "token": "00000000-0000-4000-8000-0000000000aa"}`},
		{"POST", "/cart_items", true, `{"cart_id": 1, "product_id": 1, "quantity": 3}`},
		{"POST", "/orders", false, `{"customer_id": 1, "shipping_address_id": 1, "coupon_id": 1, "status": "paid", "paid_at": "2026-01-01T00:00:00Z", "notes": "Ring twice"}`},
		{"PATCH", "/orders/1", false, `{"status": "shipped"}`},
		{"POST", "/order_items", false, `{"order_id": 1, "product_id": 1, "quantity": 10, "unit_price": "49.00"}`},
		{"PATCH", "/order_items/1", false, `{"quantity": 2, "line_total": "1"}`},
		{"POST", "/payments", false, `{"order_id": 1, "method": "gift_card", "status": "refunded", "amount": "0.00", "provider_reference": "ref-1"}`},
		{"POST", "/shipments", false, `{"order_id": 1, "carrier": "UPS", "tracking_number": "1Z", "delivered_at": "1999-01-01T00:00:00Z"}`},
		{"POST", "/reviews", false, `{"product_id": 1, "customer_id": 1, "rating": 4, "title": null, "body": "Nice"}`},
		{"PUT", "/reviews/1", false, `{"product_id": 1, "customer_id": 1, "rating": 32768}`},
		// Edge cases.
		{"POST", "/inventories", false, `[{}, {}, {"product_id": 1}, {"product_id": "1"}, {"product_id": 1.5}]`},
		{"POST", "/products", false, `{"sku": "X", "supplier_id": 1, "name": "X", "price": "NaN", "currency": "E\u0000R", "attributes": {"\u0000": 1e999999}, "tags": [null]}`},
		{"PATCH", "/products/1", false, `{"price": "-Infinity", "weight_grams": 2147483648, "sku": "` + strings.Repeat("A", 33) + `"}`},
		{"POST", "/suppliers", true, `[{"id": 1, "name": "A"}, {"name": "B"}]`},
		{"POST", "/reviews", false, `[` + strings.Repeat(`{"product_id": 1, "customer_id": 1, "rating": 5},`, 2) + `{"product_id": 1, "customer_id": 1, "rating": 5}]`},
		{"PATCH", "/shipments/1", false, `{"delivered_at": "0001-01-01T00:00:00Z", "shipped_at": "9999-12-31T23:59:59Z"}`},
		{"POST", "/cart_items", false, "[{\"cart_id\": 1, \"product_id\": 1, \"quantity\": 1}]\x00"},
	} {
		f.Add(routeOf(s.method, s.path, s.merge), []byte(s.body))
	}
	z := newFuzzer(f)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		z.ServeBody(t, rt.method, rt.path, rt.merge, body)
	})
}

// queryRoutes are the operations that read keys or list parameters; %s
// stands for the fuzzed key, escaped.
var queryRoutes = []struct {
	method, path string
	list         bool
}{
	{"GET", "/customers", true}, {"GET", "/addresses", true}, {"GET", "/suppliers", true}, {"GET", "/categories", true},
	{"GET", "/products", true}, {"GET", "/product_categories", true}, {"GET", "/inventories", true},
	{"GET", "/coupons", true}, {"GET", "/carts", true}, {"GET", "/cart_items", true}, {"GET", "/orders", true},
	{"GET", "/order_items", true}, {"GET", "/payments", true}, {"GET", "/shipments", true}, {"GET", "/reviews", true},
	{"GET", "/order_totals", true},
	{"GET", "/customers/%s/orders", true}, {"GET", "/categories/%s/categories", true}, {"GET", "/products/%s/reviews", true},
	{"GET", "/orders/%s/order_items", true}, {"GET", "/carts/%s/cart_items", true},
	{"GET", "/products/%s", false}, {"GET", "/categories/%s", false}, {"GET", "/inventories/%s", false},
	{"GET", "/cart_items/1/%s", false}, {"GET", "/product_categories/%s/1", false}, {"GET", "/carts/%s", false},
	{"DELETE", "/reviews/%s", false}, {"DELETE", "/customers/%s", false}, {"DELETE", "/product_categories/1/%s", false},
}

func queryRouteOf(method, path string) uint8 {
	for i, r := range queryRoutes {
		if r.method == method && r.path == path {
			return uint8(i)
		}
	}
	panic("no route " + method + " " + path)
}

func FuzzQueries(f *testing.F) {
	cursor := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }
	for _, s := range []struct{ method, path, key, query string }{
		{"GET", "/products", "", "price[gte]=10.5&currency=EUR&tags[overlaps]=desk&tags[overlaps]=x&attributes[contains]=%7B%22colour%22:%22red%22%7D&include=supplier,reviews"},
		{"GET", "/products", "", "sort=-price,name&limit=1&count=exact&active=true&weight_grams[is]=null"},
		{"GET", "/products", "", "sort=price&cursor=" + cursor(`{"sort":"price","after":["49.00",1]}`)},
		{"GET", "/orders", "", "status[in]=pending&status[in]=paid&placed_at[lt]=2100-01-01T00:00:00Z&include=customer,order_items,payments&sort=-placed_at"},
		{"GET", "/orders", "", "sort=status&cursor=" + cursor(`{"sort":"status","after":["lost",1]}`)},
		{"GET", "/order_totals", "", "subtotal[like]=4%25&item_count=1&status=pending&sort=-subtotal&limit=1"},
		{"GET", "/reviews", "", "rating[gte]=1&rating[lte]=5&title[is]=null&sort=-rating&include=product,customer&include_limit=100"},
		{"GET", "/customers", "", "email[ilike]=%25EXAMPLE.COM&marketing_opt_in=false&include=addresses,orders&count=estimated"},
		{"GET", "/coupons", "", "discount_percent[gt]=0&valid_until[gte]=2029-12-31T23:59:59.999999Z&code[like]=S%25"},
		{"GET", "/carts", "", "token=00000000-0000-4000-8000-000000000001&customer_id[is]=not_null"},
		{"GET", "/cart_items", "", "sort=-added_at&limit=1"},
		{"GET", "/inventories", "", "quantity[lt]=2147483647&reorder_level=0&updated_at[gt]=1970-01-01T00:00:00%2B14:00"},
		{"GET", "/categories", "", "parent_id[is]=null&slug[in]=lamps&include=categories,product_categories"},
		{"GET", "/customers/%s/orders", "1", "limit=1000"},
		{"GET", "/categories/%s/categories", "2147483647", ""},
		{"GET", "/products/%s/reviews", "1", "rating=5"},
		{"GET", "/products/%s", "1", ""},
		{"GET", "/inventories/%s", "-9223372036854775808", ""},
		{"GET", "/cart_items/1/%s", "1", ""},
		{"GET", "/product_categories/%s/1", "0x1", ""},
		{"DELETE", "/reviews/%s", "1", ""},
		{"DELETE", "/customers/%s", "1", ""},
		{"GET", "/products", "", "price=1e9999999999&rating=x&sku[like]=A%5C&tags[contains]=%00"},
		{"GET", "/payments", "", "method=card&amount[gt]=-Infinity&provider_reference[is]=maybe&offset=10000"},
		{"GET", "/shipments", "", "cursor=%ff&limit=1&offset=1"},
	} {
		f.Add(queryRouteOf(s.method, s.path), s.key, s.query)
	}
	z := newFuzzer(f)
	f.Fuzz(func(t *testing.T, route uint8, key, query string) {
		rt := queryRoutes[int(route)%len(queryRoutes)]
		if key == "" && strings.Contains(rt.path, "%s") {
			// /comments/ is not a row's path: chi serves it as the
			// collection, which the document describes without the slash.
			return
		}
		path := strings.Replace(rt.path, "%s", url.PathEscape(key), 1)
		req := apitest.Request(rt.method, path+"?"+query, nil)
		if req == nil {
			return // no HTTP request carries this target
		}
		r := z.Serve(t, req)
		if _, err := url.ParseQuery(req.URL.RawQuery); err != nil && rt.list && !strings.Contains(rt.path, "%s") {
			assert.Equal(t, http.StatusBadRequest, r.Status, "a query string that does not decode: %q", query)
		}
		if r.Status != http.StatusOK || !rt.list {
			return
		}
		// The next page of a list is there for the asking, with the same
		// parameters.
		next, ok := r.Body.(map[string]any)["next_cursor"].(string)
		if !ok {
			return
		}
		values, err := url.ParseQuery(req.URL.RawQuery)
		require.NoError(t, err)
		values.Del("offset")
		values.Set("cursor", next)
		more := z.Then(t, apitest.Request(http.MethodGet, req.URL.EscapedPath()+"?"+values.Encode(), nil))
		assert.Equal(t, http.StatusOK, more.Status, "the next page of %s: %s", req.URL, more.Raw)
	})
}
