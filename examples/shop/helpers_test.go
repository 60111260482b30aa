package shop_test

// Helpers of the shop API's behaviour tests (adapted from the blog
// example's): a database loaded with schema.sql, the generated router
// served over HTTP, and a client whose every exchange is checked against
// api/openapi.json.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/shop/api"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// emptyAll empties the shop's tables before every test, children first, and
// restarts their keys at 1. DELETE on a few rows takes a millisecond where
// TRUNCATE of fifteen tables takes a tenth of a second.
const emptyAll = `
DELETE FROM reviews; DELETE FROM shipments; DELETE FROM payments; DELETE FROM inventory;
DELETE FROM order_items; DELETE FROM orders; DELETE FROM cart_items; DELETE FROM carts;
DELETE FROM coupons; DELETE FROM product_categories; DELETE FROM products; DELETE FROM categories;
DELETE FROM suppliers; DELETE FROM addresses; DELETE FROM customers;
SELECT setval(pg_get_serial_sequence(t, 'id'), 1, false)
FROM unnest('{customers,addresses,suppliers,categories,products,coupons,carts,orders,order_items,payments,shipments,reviews}'::text[]) AS t;
`

// The package database gets schema.sql once.
var (
	schemaOnce sync.Once
	schemaErr  error
)

// loadSchema runs schema.sql on the database at dbURL.
func loadSchema(ctx context.Context, dbURL string) error {
	sql, err := os.ReadFile("schema.sql")
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, string(sql)) // no arguments: a multi-statement string
	return err
}

// newPool connects to dbURL the way cmd/shop does (with the runtime's types
// registered) and closes the pool when the test ends.
func newPool(t *testing.T, dbURL string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbURL)
	require.NoError(t, err)
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		runtime.RegisterTypes(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// shop is a running shop API and what the tests need around it.
type shop struct {
	*client
	pool *pgxpool.Pool
}

// newShop serves the generated API over the package database, emptied.
// When the test fails, its log shows what the API logged.
func newShop(t *testing.T) *shop {
	t.Helper()
	dbURL := pgtest.URL(t)
	schemaOnce.Do(func() { schemaErr = loadSchema(context.Background(), dbURL) })
	require.NoError(t, schemaErr, "load schema.sql")
	pool := newPool(t, dbURL)
	_, err := pool.Exec(context.Background(), emptyAll) // no arguments: a multi-statement string
	require.NoError(t, err)

	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: logger}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("API log:\n%s", logs)
		}
	})
	return &shop{client: &client{base: srv.URL, http: srv.Client()}, pool: pool}
}

// count returns the number of rows of table, read behind the API's back.
func (s *shop) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ---------------------------------------------------------------------------
// The OpenAPI document

var (
	docOnce   sync.Once
	doc       *openapi3.T
	docRouter routers.Router
	docErr    error
)

// openAPI returns api/openapi.json, loaded once, and a router over it.
func openAPI(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	docOnce.Do(func() {
		doc, docErr = openapi3.NewLoader().LoadFromFile("api/openapi.json")
		if docErr != nil {
			return
		}
		docRouter, docErr = gorillamux.NewRouter(doc)
	})
	require.NoError(t, docErr, "load api/openapi.json")
	return doc, docRouter
}

// ---------------------------------------------------------------------------
// The client

// client talks to a served API and checks every exchange against the
// OpenAPI document.
type client struct {
	base string
	http *http.Client
}

// obj is a JSON object, to write request bodies.
type obj = map[string]any

// response is what a request got.
type response struct {
	method, path string // of the request
	Status       int
	Header       http.Header
	Raw          []byte
	Body         any // the decoded JSON body (numbers as json.Number), nil when none
}

// do sends a request the document describes as valid: the request must
// conform to the document, and so must the response. body is nil (no
// body), a string ([]byte) sent as is, or a value sent as JSON.
func (c *client) do(t *testing.T, method, path string, body any) *response {
	t.Helper()
	return c.exchange(t, true, method, path, body)
}

// send sends a request that need not conform to the document (it is
// meant to be rejected); the response must still conform.
func (c *client) send(t *testing.T, method, path string, body any) *response {
	t.Helper()
	return c.exchange(t, false, method, path, body)
}

func (c *client) exchange(t *testing.T, conforming bool, method, path string, body any) *response {
	t.Helper()
	payload := encodeBody(t, body)
	newRequest := func(url string) *http.Request {
		var rd io.Reader
		if payload != nil {
			rd = bytes.NewReader(payload)
		}
		r, err := http.NewRequest(method, url, rd)
		require.NoError(t, err)
		if payload != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}

	req := newRequest(c.base + path)
	res, err := c.http.Do(req)
	require.NoError(t, err, "%s %s", method, path)
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())

	r := &response{method: method, path: path, Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 && isJSON(res.Header.Get("Content-Type")) {
		require.NoError(t, newNumberDecoder(raw).Decode(&r.Body), "%s %s: response body is not JSON: %s", method, path, raw)
	}
	if !builtIn[path] {
		checkAgainstDocument(t, conforming, newRequest(path), payload, r)
	}
	return r
}

// builtIn are the routes NewRouter serves that the document does not
// describe: the document itself.
var builtIn = map[string]bool{"/openapi.json": true}

// newNumberDecoder decodes JSON with numbers as json.Number, so that 4.5
// and "4.50" stay apart and big integers stay exact.
func newNumberDecoder(raw []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec
}

func encodeBody(t *testing.T, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	}
	payload, err := json.Marshal(body)
	require.NoError(t, err)
	return payload
}

func isJSON(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// checkAgainstDocument validates the exchange with openapi3filter: the
// request when it is meant to conform, the response always. A request
// the document has no operation for (unknown path or method) must have
// been answered with a 404 or 405 problem, checked against the document's
// Problem schema.
func checkAgainstDocument(t *testing.T, conforming bool, req *http.Request, payload []byte, r *response) {
	t.Helper()
	doc, router := openAPI(t)
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	if err != nil {
		require.True(t, errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed), "find route: %v", err)
		assert.False(t, conforming, "%s %s: the document has no such operation", r.method, r.path)
		assert.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, r.Status,
			"%s %s: the document has no operation, so only 404 or 405 fit", r.method, r.path)
		assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
		problemSchema := doc.Components.Schemas["Problem"].Value
		assert.NoError(t, problemSchema.VisitJSON(jsonValue(t, r.Raw)),
			"%s %s: the body is not a Problem: %s", r.method, r.path, r.Raw)
		return
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if conforming {
		if payload != nil {
			req.Body = io.NopCloser(bytes.NewReader(payload))
		}
		assert.NoError(t, openapi3filter.ValidateRequest(ctx, in),
			"%s %s: the request does not conform to the document: %s", r.method, r.path, payload)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                opts,
	}
	out.SetBodyBytes(r.Raw)
	assert.NoError(t, openapi3filter.ValidateResponse(ctx, out),
		"%s %s: the response does not conform to the document: %d %s", r.method, r.path, r.Status, r.Raw)
}

// jsonValue decodes raw as openapi3's schema validation expects it.
func jsonValue(t *testing.T, raw []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v), "not JSON: %s", raw)
	return v
}

// ---------------------------------------------------------------------------
// Assertions

// object requires status and a JSON object body, and returns it.
func (r *response) object(t *testing.T, status int) obj {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.method, r.path, r.Raw)
	require.Equal(t, "application/json", mediaType(r.Header.Get("Content-Type")))
	m, ok := r.Body.(map[string]any)
	require.True(t, ok, "%s %s: the body is not an object: %s", r.method, r.path, r.Raw)
	return m
}

// items requires a 200 list and returns its items.
func (r *response) items(t *testing.T) []any {
	t.Helper()
	page := r.object(t, http.StatusOK)
	items, ok := page["items"].([]any)
	require.True(t, ok, "items is not an array: %s", r.Raw)
	assert.NotContains(t, page, "next_cursor", "a single page has no next_cursor")
	return items
}

func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

// problem is an RFC 9457 problem as the API writes it.
type problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	Instance  string       `json:"instance"`
	RequestID string       `json:"request_id"`
	Errors    []fieldError `json:"errors"`
}

type fieldError struct {
	Loc     json.RawMessage `json:"loc"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
}

// problem requires r to be a problem with status and returns it, checking
// the members every problem has.
func (r *response) problem(t *testing.T, status int) problem {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.method, r.path, r.Raw)
	require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"), "%s", r.Raw)
	var p problem
	dec := json.NewDecoder(bytes.NewReader(r.Raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&p), "problem body: %s", r.Raw)
	assert.Equal(t, "about:blank", p.Type)
	assert.Equal(t, http.StatusText(status), p.Title)
	assert.Equal(t, status, p.Status)
	assert.NotEmpty(t, p.Detail)
	path, _, _ := strings.Cut(r.path, "?")
	assert.Equal(t, path, p.Instance, "instance is the request's path, as sent")
	for _, e := range p.Errors {
		assert.NotEmpty(t, e.Message, "field error %s %s has no message", e.Loc, e.Code)
	}
	return p
}

// errorsOf requires a problem with status and exactly the field errors
// want (in any order), and returns the problem.
func (r *response) errorsOf(t *testing.T, status int, want ...located) problem {
	t.Helper()
	p := r.problem(t, status)
	got := make([]located, len(p.Errors))
	for i, e := range p.Errors {
		got[i] = located{Code: e.Code, Loc: compact(t, e.Loc)}
	}
	if want == nil {
		want = []located{}
	}
	assert.ElementsMatch(t, want, got, "%s %s: %s", r.method, r.path, r.Raw)
	return p
}

// located is a field error's code and loc (as compact JSON).
type located struct {
	Code string
	Loc  string
}

// at is the field error code located at loc.
func at(code string, loc ...any) located {
	b, err := json.Marshal(loc)
	if err != nil {
		panic(err)
	}
	return located{Code: code, Loc: string(b)}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, raw))
	return b.String()
}

// num is the JSON number n, as the client decodes it.
func num(n string) json.Number { return json.Number(n) }

// ---------------------------------------------------------------------------
// Fixtures, created through the API

func (c *client) create(t *testing.T, path string, body any) obj {
	t.Helper()
	return c.do(t, http.MethodPost, path, body).object(t, http.StatusCreated)
}

// idOf returns the id member of a row, as it goes in a path.
func idOf(t *testing.T, row obj) string {
	t.Helper()
	id, ok := row["id"].(json.Number)
	require.True(t, ok, "row has no numeric id: %v", row)
	return id.String()
}

// customer registers a customer with the given email.
func (c *client) customer(t *testing.T, email string) obj {
	t.Helper()
	return c.create(t, "/customers", obj{"email": email, "full_name": "Customer " + email})
}

// address adds an address in Berlin to customer.
func (c *client) address(t *testing.T, customer obj, isDefault bool) obj {
	t.Helper()
	return c.create(t, "/addresses", obj{
		"customer_id": customer["id"], "line1": "Torstraße 1", "city": "Berlin",
		"postal_code": "10119", "country": "DE", "is_default": isDefault,
	})
}

// supplier creates a supplier with the given name.
func (c *client) supplier(t *testing.T, name string) obj {
	t.Helper()
	return c.create(t, "/suppliers", obj{"name": name})
}

// product creates a product of supplier with the given SKU and price, and
// stocks stock units of it.
func (c *client) product(t *testing.T, supplier obj, sku, price string, stock int) obj {
	t.Helper()
	p := c.create(t, "/products", obj{"sku": sku, "supplier_id": supplier["id"], "name": "Product " + sku, "price": price})
	c.create(t, "/inventories", obj{"product_id": p["id"], "quantity": stock})
	return p
}

// stockOf returns the units of product in stock, read through the API.
func (c *client) stockOf(t *testing.T, product obj) json.Number {
	t.Helper()
	return c.do(t, http.MethodGet, "/inventories/"+idOf(t, product), nil).object(t, http.StatusOK)["quantity"].(json.Number)
}

// order places a pending order of customer, shipped to address.
func (c *client) order(t *testing.T, customer, address obj) obj {
	t.Helper()
	return c.create(t, "/orders", obj{"customer_id": customer["id"], "shipping_address_id": address["id"]})
}

// orderItem adds quantity units of product to order at the product's price.
func (c *client) orderItem(t *testing.T, order, product obj, quantity int) obj {
	t.Helper()
	return c.create(t, "/order_items", obj{"order_id": order["id"], "product_id": product["id"], "quantity": quantity, "unit_price": product["price"]})
}

// with returns a copy of m with fields set.
func with(m obj, fields obj) obj {
	c := make(obj, len(m)+len(fields))
	for k, v := range m {
		c[k] = v
	}
	for k, v := range fields {
		c[k] = v
	}
	return c
}
