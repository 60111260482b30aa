package shop_test

// Bad input at the limits of what the API reads, in the shop's types:
// smallint and integer columns, numeric(12,2) and numeric(5,2) domains,
// char(n), jsonb and text[], bulk creates and upserts of many rows. Each
// is a 4xx problem naming the field or parameter (a 400 or 413 for bodies
// that are not JSON or too large), and nothing reaches the tables.

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
)

// shopTables are the tables snapshot reads.
var shopTables = []string{
	"customers", "addresses", "suppliers", "categories", "products", "product_categories", "inventory",
	"coupons", "carts", "cart_items", "orders", "order_items", "payments", "shipments", "reviews",
}

// snapshot returns every table's row count and a digest of its rows, read
// behind the API's back.
func (s *shop) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range shopTables {
		var n int
		var digest string
		require.NoError(t, s.pool.QueryRow(context.Background(),
			`SELECT count(*), coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM `+table+` t`).Scan(&n, &digest))
		out[table] = fmt.Sprintf("%d rows, %s", n, digest)
	}
	return out
}

// shopFixture is one row of every table, each with id 1: what requests
// with keys address. The order holds one lamp of the five in stock.
const shopFixture = `
INSERT INTO customers (email, full_name) VALUES ('ada@example.com', 'Ada');
INSERT INTO addresses (customer_id, line1, city, postal_code, country) VALUES (1, 'Torstraße 1', 'Berlin', '10119', 'DE');
INSERT INTO suppliers (name) VALUES ('Acme');
INSERT INTO categories (name, slug) VALUES ('Lamps', 'lamps');
INSERT INTO products (sku, supplier_id, name, price, tags, attributes) VALUES ('LAMP-1', 1, 'Lamp', 49.00, '{desk}', '{"colour": "red"}');
INSERT INTO product_categories (product_id, category_id) VALUES (1, 1);
INSERT INTO inventory (product_id, quantity) VALUES (1, 5);
INSERT INTO coupons (code, discount_percent, valid_until) VALUES ('SALE', 10, '2030-01-01');
INSERT INTO carts (customer_id) VALUES (1);
INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (1, 1, 1);
INSERT INTO orders (customer_id, shipping_address_id) VALUES (1, 1);
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 1, 49.00);
INSERT INTO payments (order_id, method, amount) VALUES (1, 'card', 49.00);
INSERT INTO shipments (order_id, carrier) VALUES (1, 'DHL');
INSERT INTO reviews (product_id, customer_id, rating) VALUES (1, 1, 5);
`

// limitCase is a request the API must refuse with status and exactly the
// field errors want.
type limitCase struct {
	name         string
	method, path string
	body         any
	status       int
	want         []apitest.Located
	opts         []apitest.Option
}

func refuseAll(t *testing.T, c *client, cases []limitCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.Send(t, tc.method, tc.path, tc.body, tc.opts...).ErrorsOf(t, tc.status, tc.want...)
		})
	}
}

func at(code string, loc ...any) []apitest.Located {
	return []apitest.Located{apitest.At(code, loc...)}
}

// rows returns a JSON array of n copies of row, its %d replaced by the index.
func rows(n int, row string) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, row, i)
	}
	b.WriteString("]")
	return b.String()
}

func TestLimitsOfBodies(t *testing.T) {
	s := newShop(t)
	_, err := s.pool.Exec(context.Background(), shopFixture)
	require.NoError(t, err)
	before := s.snapshot(t)
	merge := []apitest.Option{apitest.WithHeader("Prefer", "resolution=merge-duplicates")}
	product := func(field, value string) string {
		return `{"sku": "NEW-1", "supplier_id": 1, "name": "New", "price": "1.00", ` + fmt.Sprintf("%q", field) + `: ` + value + `}`
	}
	requiredProductIDs := make([]apitest.Located, 100)
	for i := range requiredProductIDs {
		requiredProductIDs[i] = apitest.At("required", "body", i, "product_id")
	}

	refuseAll(t, s.client, []limitCase{
		// smallint and integer columns.
		{"smallint 32768", "PATCH", "/reviews/1", `{"rating": 32768}`, 422, at("maximum", "body", "rating"), nil},
		{"smallint -32769", "PATCH", "/reviews/1", `{"rating": -32769}`, 422, at("minimum", "body", "rating"), nil},
		{"smallint 1e5", "POST", "/reviews", `{"product_id": 1, "customer_id": 1, "rating": 1e5}`, 422, at("maximum", "body", "rating"), nil},
		{"smallint 3.5", "PUT", "/reviews/1", `{"product_id": 1, "customer_id": 1, "rating": 3.5}`, 422, at("type", "body", "rating"), nil},
		{"integer 2^31", "PATCH", "/products/1", `{"weight_grams": 2147483648}`, 422, at("maximum", "body", "weight_grams"), nil},
		{"integer -2^31-1", "PATCH", "/products/1", `{"weight_grams": -2147483649}`, 422, at("minimum", "body", "weight_grams"), nil},
		{"integer 1e10 in an upsert", "POST", "/inventories", `{"product_id": 1, "quantity": 1e10}`, 422, at("maximum", "body", "quantity"), merge},
		{"serial key 2^31", "POST", "/product_categories", `{"product_id": 1, "category_id": 2147483648}`, 422, at("maximum", "body", "category_id"), nil},
		{"integer FK 2^31", "PATCH", "/categories/1", `{"parent_id": 2147483648}`, 422, at("maximum", "body", "parent_id"), nil},
		{"bigint FK 2^63", "POST", "/orders", `{"customer_id": 9223372036854775808, "shipping_address_id": 1}`, 422, at("maximum", "body", "customer_id"), nil},

		// numeric(12,2) and numeric(5,2), through domains and not.
		{"numeric(12,2) 1e10", "PATCH", "/products/1", `{"price": "10000000000"}`, 422, at("maximum", "body", "price"), nil},
		{"numeric(12,2) rounding over", "PATCH", "/products/1", `{"price": 9999999999.995}`, 422, at("maximum", "body", "price"), nil},
		{"numeric(12,2) domain below 0", "PATCH", "/products/1", `{"price": "-0.01"}`, 422, at("minimum", "body", "price"), nil},
		{"numeric(12,2) Infinity", "POST", "/products", `{"sku": "NEW-1", "supplier_id": 1, "name": "New", "price": "Infinity"}`, 422, at("maximum", "body", "price"), nil},
		{"numeric beyond numeric", "PATCH", "/order_items/1", `{"unit_price": 1e131072}`, 422, at("type", "body", "unit_price"), nil},
		{"numeric(5,2) 1000", "PATCH", "/coupons/1", `{"discount_percent": "1000"}`, 422, []apitest.Located{apitest.At("maximum", "body", "discount_percent"), apitest.At("maximum", "body", "discount_percent")}, nil},
		{"numeric(5,2) NaN fails BETWEEN", "PATCH", "/coupons/1", `{"discount_percent": "NaN"}`, 422, at("check", "body", "discount_percent"), nil},
		{"numeric in exponent form beyond", "PATCH", "/payments/1", `{"amount": "1e20"}`, 422, at("maximum", "body", "amount"), nil},

		// char(n) through domains.
		{"char(3) of 4", "PATCH", "/orders/1", `{"currency": "EURO"}`, 422, []apitest.Located{apitest.At("max_length", "body", "currency"), apitest.At("pattern", "body", "currency")}, nil},
		{"char(3) of 3 non-ASCII", "PATCH", "/products/1", `{"currency": "ÉÜR"}`, 422, at("pattern", "body", "currency"), nil},
		{"char(2) of 3", "PATCH", "/addresses/1", `{"country": "DEU"}`, 422, []apitest.Located{apitest.At("max_length", "body", "country"), apitest.At("pattern", "body", "country")}, nil},
		{"varchar(32) domain of 33", "PATCH", "/products/1", `{"sku": "` + strings.Repeat("A", 33) + `"}`, 422, at("max_length", "body", "sku"), nil},
		{"varchar(200) of 100000", "PATCH", "/addresses/1", `{"line1": "` + strings.Repeat("ß", 100000) + `"}`, 422, at("max_length", "body", "line1"), nil},

		// NUL where PostgreSQL's text cannot hold it.
		{"\\u0000 in text", "PATCH", "/customers/1", `{"full_name": "A\u0000"}`, 422, at("format", "body", "full_name"), nil},
		{"\\u0000 in a nullable text", "PATCH", "/orders/1", `{"notes": "\u0000"}`, 422, at("format", "body", "notes"), nil},
		{"\\u0000 in char(3)", "PATCH", "/orders/1", `{"currency": "EU\u0000"}`, 422, at("format", "body", "currency"), nil},
		{"\\u0000 in text[]", "PATCH", "/products/1", `{"tags": ["a", "b", "\u0000"]}`, 422, at("format", "body", "tags", 2), nil},
		{"\\u0000 in a jsonb key", "PATCH", "/products/1", `{"attributes": {"a\u0000": 1}}`, 422, at("format", "body", "attributes"), nil},
		{"\\u0000 in an enum", "PATCH", "/payments/1", `{"method": "card\u0000"}`, 422, at("format", "body", "method"), nil},
		{"\\u0000 in a bulk row", "POST", "/suppliers", `[{"name": "A"}, {"name": "B"}, {"name": "\u0000"}]`, 422, at("format", "body", 2, "name"), nil},
		{"invalid UTF-8", "PATCH", "/reviews/1", "{\"body\": \"\xfe\"}", 400, nil, nil},
		{"a NUL byte", "PATCH", "/reviews/1", "{\"body\": \"\x00\"}", 400, nil, nil},

		// jsonb and text[].
		{"jsonb number beyond numeric", "PATCH", "/products/1", `{"attributes": {"weight": 1e-99999}}`, 422, at("format", "body", "attributes"), nil},
		{"jsonb nested 1000 deep", "POST", "/products", product("attributes", strings.Repeat(`{"a":`, 1000)+"1"+strings.Repeat("}", 1000)), 400, nil, nil},
		{"text[] of objects", "PATCH", "/products/1", `{"tags": [{}, []]}`, 422, []apitest.Located{apitest.At("type", "body", "tags", 0), apitest.At("type", "body", "tags", 1)}, nil},

		// Times RFC 3339 cannot write back.
		{"timestamptz after 294276", "PATCH", "/coupons/1", `{"valid_until": "+294276-12-31T23:59:59.9999999Z"}`, 422, at("format", "body", "valid_until"), nil},

		// Bulk creates and upserts: at most 1000 rows, within 1 MiB.
		{"1001 products", "POST", "/products", rows(1001, `{"sku": "P-%d", "supplier_id": 1, "name": "P", "price": "1.00"}`), 422, at("maximum", "body", 1000), nil},
		{"1001 rows to upsert", "POST", "/inventories", rows(1001, `{"product_id": %d}`), 422, at("maximum", "body", 1000), merge},
		{"100000 empty rows", "POST", "/inventories", "[{}" + strings.Repeat(",{}", 99999) + "]", 422, requiredProductIDs, nil},
		{"rows over the body limit", "POST", "/customers", rows(20000, `{"email": "c%d@example.com", "full_name": "Customer with a long name"}`), 413, nil, nil},
		{"an upsert row of another type", "POST", "/inventories", `[{"product_id": 1, "quantity": 1}, {"product_id": 1, "quantity": "\u0000"}]`, 422, at("type", "body", 1, "quantity"), merge},
		{"a bulk row beyond its column", "POST", "/reviews", `[{"product_id": 1, "customer_id": 1, "rating": 1}, {"product_id": 1, "customer_id": 1, "rating": 70000}]`, 422, at("maximum", "body", 1, "rating"), nil},
	})

	assert.Equal(t, before, s.snapshot(t), "nothing written")
}

func TestLimitsOfQueries(t *testing.T) {
	s := newShop(t)
	_, err := s.pool.Exec(context.Background(), shopFixture)
	require.NoError(t, err)
	before := s.snapshot(t)
	cursor := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }

	refuseAll(t, s.client, []limitCase{
		{"smallint 32768", "GET", "/reviews?rating=32768", nil, 422, at("type", "query", "rating"), nil},
		{"smallint among in values", "GET", "/reviews?rating[in]=1&rating[in]=-32769", nil, 422, at("type", "query", "rating[in]"), nil},
		{"integer 2^31", "GET", "/products?weight_grams[gt]=2147483648", nil, 422, at("type", "query", "weight_grams[gt]"), nil},
		{"serial 2^31", "GET", "/categories?id[lte]=2147483648", nil, 422, at("type", "query", "id[lte]"), nil},
		{"numeric exponent beyond range", "GET", "/products?price[lt]=1e9999999999", nil, 422, at("type", "query", "price[lt]"), nil},
		{"NUL in char(3)", "GET", "/orders?currency=EU%00", nil, 422, at("type", "query", "currency"), nil},
		{"invalid UTF-8 in a domain", "GET", "/customers?email[ilike]=%c3", nil, 422, at("type", "query", "email[ilike]"), nil},
		{"NUL in text[] contains", "GET", "/products?tags[overlaps]=a&tags[overlaps]=%00", nil, 422, at("type", "query", "tags[overlaps]"), nil},
		{"NUL in a jsonb document", "GET", "/products?attributes[contains]=%7B%22%5Cu0000%22:1%7D", nil, 422, at("type", "query", "attributes[contains]"), nil},
		{"jsonb number beyond numeric", "GET", "/products?attributes[contains]=%7B%22a%22:1e131072%7D", nil, 422, at("type", "query", "attributes[contains]"), nil},
		{"like ending in an escape", "GET", "/products?sku[like]=LAMP%5C", nil, 422, at("format", "query", "sku[like]"), nil},
		{"a view's text column", "GET", "/order_totals?subtotal[ilike]=4%5C", nil, 422, at("format", "query", "subtotal[ilike]"), nil},
		{"NUL in a view's enum", "GET", "/order_totals?status=paid%00", nil, 422, at("type", "query", "status"), nil},
		{"NUL in an enum filter", "GET", "/payments?method[in]=card&method[in]=%00", nil, 422, at("type", "query", "method[in]"), nil},
		{"NUL in a unique text", "GET", "/shipments?tracking_number=%00", nil, 422, at("type", "query", "tracking_number"), nil},
		{"cursor with an enum value not of the enum", "GET", "/orders?sort=status&cursor=" + cursor(`{"sort":"status","after":["lost",1]}`), nil, 422, at("invalid_cursor", "query", "cursor"), nil},
		{"cursor with a smallint beyond range", "GET", "/reviews?sort=rating&cursor=" + cursor(`{"sort":"rating","after":[32768,1]}`), nil, 422, at("invalid_cursor", "query", "cursor"), nil},

		{"integer key 2^31", "GET", "/categories/2147483648", nil, 422, at("type", "path", "id"), nil},
		{"second key part 2^31", "DELETE", "/product_categories/1/2147483648", nil, 422, at("type", "path", "category_id"), nil},
		{"bigint key 2^63", "PATCH", "/inventories/9223372036854775808", `{}`, 422, at("type", "path", "product_id"), nil},
		{"NUL in a key", "GET", "/cart_items/1/%00", nil, 422, at("type", "path", "product_id"), nil},
		{"NUL in a parent's key", "GET", "/customers/1%00/orders", nil, 422, at("type", "path", "id"), nil},
	})

	assert.Equal(t, before, s.snapshot(t), "nothing written")
}
