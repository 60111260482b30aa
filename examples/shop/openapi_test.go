package shop_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
)

func TestOpenAPIDocument(t *testing.T) {
	doc, _ := apitest.Document(t, "api/openapi.json")
	require.NoError(t, doc.Validate(context.Background()))
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	assert.Equal(t, "Shop API", doc.Info.Title)

	s := newShop(t)
	want, err := os.ReadFile("api/openapi.json")
	require.NoError(t, err)
	r := s.Send(t, http.MethodGet, "/openapi.json", nil)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, string(want), string(r.Raw), "the router serves the committed document")
}

// Every table has its routes, keyed as the schema says; the view is
// read-only.
func TestOpenAPIDocumentDescribesEveryRoute(t *testing.T) {
	doc, _ := apitest.Document(t, "api/openapi.json")
	crud := []string{"DELETE", "GET", "PATCH", "PUT"}
	want := map[string][]string{"/order_totals": {"GET"}}
	for collection, item := range map[string]string{
		"/customers":          "/customers/{id}",
		"/addresses":          "/addresses/{id}",
		"/suppliers":          "/suppliers/{id}",
		"/categories":         "/categories/{id}",
		"/products":           "/products/{id}",
		"/product_categories": "/product_categories/{product_id}/{category_id}",
		"/inventories":        "/inventories/{product_id}",
		"/coupons":            "/coupons/{id}",
		"/carts":              "/carts/{id}",
		"/cart_items":         "/cart_items/{cart_id}/{product_id}",
		"/orders":             "/orders/{id}",
		"/order_items":        "/order_items/{id}",
		"/payments":           "/payments/{id}",
		"/shipments":          "/shipments/{id}",
		"/reviews":            "/reviews/{id}",
	} {
		want[collection] = []string{"GET", "POST"}
		want[item] = crud
	}
	// Each foreign key to a row's key lists the children under the row.
	for _, nested := range []string{
		"/addresses/{id}/orders", "/carts/{id}/cart_items", "/categories/{id}/categories",
		"/categories/{id}/product_categories", "/coupons/{id}/orders", "/customers/{id}/addresses",
		"/customers/{id}/carts", "/customers/{id}/orders", "/customers/{id}/reviews",
		"/orders/{id}/order_items", "/orders/{id}/payments", "/orders/{id}/shipments",
		"/products/{id}/cart_items", "/products/{id}/inventories", "/products/{id}/order_items",
		"/products/{id}/product_categories", "/products/{id}/reviews", "/suppliers/{id}/products",
	} {
		want[nested] = []string{"GET"}
	}
	got := map[string][]string{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			got[path] = append(got[path], method)
		}
	}
	for path := range want {
		assert.ElementsMatch(t, want[path], got[path], path)
	}
	assert.Len(t, got, len(want))
}

// The domains' POSIX classes ([[:space:]] in email_address) become
// ECMA-262 in the document, which has none.
func TestOpenAPIPatternsAreECMA262(t *testing.T) {
	doc, _ := apitest.Document(t, "api/openapi.json")
	posixClass := regexp.MustCompile(`\[:[a-z]+:\]`)
	patterns := 0
	for name, ref := range doc.Components.Schemas {
		for field, p := range ref.Value.Properties {
			if p.Value == nil || p.Value.Pattern == "" {
				continue
			}
			patterns++
			assert.False(t, posixClass.MatchString(p.Value.Pattern), "%s.%s: %q", name, field, p.Value.Pattern)
		}
	}
	assert.NotZero(t, patterns)
	email := doc.Components.Schemas["CreateCustomerRequest"].Value.Properties["email"].Value
	assert.Equal(t, `^[^@\s]+@[^@\s]+$`, email.Pattern)
}

// The view order_totals answers GET only.
func TestOrderTotalsIsReadOnly(t *testing.T) {
	s := newShop(t)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		r := s.Send(t, method, "/order_totals", obj{"order_id": 1})
		r.Problem(t, http.StatusMethodNotAllowed)
		assert.Equal(t, "GET", r.Header.Get("Allow"), method)
	}
	s.Send(t, http.MethodGet, "/order_totals/1", nil).Problem(t, http.StatusNotFound)
}
