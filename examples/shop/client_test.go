package shop_test

// The Go client oapi-codegen makes of api/openapi.json (client/): it is
// what the document makes now, and it works against the API.

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	shopclient "github.com/crudgen/crudgen/examples/shop/client"
	"github.com/crudgen/crudgen/internal/apitest"
)

// TestClientGenerated regenerates the client from the document and
// requires it to equal the committed client/client.gen.go.
func TestClientGenerated(t *testing.T) {
	apitest.RequireOapiCodegen(t, "client", "api/openapi.json")
}

// TestClientRoundTrip drives the API with the generated client: create,
// upsert with the Prefer header, create many, get, list a parent's children
// with filters, sort and pages, patch, delete, then get a 404. Every
// exchange is also checked against the document.
//
// The create bodies are oneOf (a row or an array of rows): they go through
// Create…JSONBody, whose MarshalJSON writes the union, and the WithBody
// methods, because oapi-codegen v2.8.2 declares Create…JSONRequestBody as a
// distinct type without that method, which would marshal as {}.
func TestClientRoundTrip(t *testing.T) {
	s := newShop(t)
	ctx := context.Background()
	c, err := shopclient.NewClientWithResponses(s.Base,
		shopclient.WithHTTPClient(&apitest.Doer{T: t, HTTP: s.HTTP, Doc: "api/openapi.json"}))
	require.NoError(t, err)

	// A supplier whose key the client chooses, then an upsert of it.
	supplierID := int64(7)
	country := "DE"
	var one shopclient.CreateSupplierJSONBody
	require.NoError(t, one.FromCreateSupplierRequest(shopclient.CreateSupplierRequest{Id: &supplierID, Name: "Acme", Country: &country}))
	created, err := c.CreateSupplierWithBodyWithResponse(ctx, nil, "application/json", apitest.JSONBody(t, one))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, created.StatusCode(), "%s", created.Body)
	acme, err := created.JSON201.AsSupplier()
	require.NoError(t, err)
	assert.Equal(t, supplierID, acme.Id)
	assert.Equal(t, "Acme", acme.Name)
	assert.Equal(t, &country, acme.Country)
	assert.Nil(t, acme.ContactEmail)

	require.NoError(t, one.FromCreateSupplierRequest(shopclient.CreateSupplierRequest{Id: &supplierID, Name: "Acme Ltd"}))
	merge := shopclient.CreateSupplierParamsPreferResolutionMergeDuplicates
	upserted, err := c.CreateSupplierWithBodyWithResponse(ctx, &shopclient.CreateSupplierParams{Prefer: &merge}, "application/json", apitest.JSONBody(t, one))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, upserted.StatusCode(), "%s", upserted.Body)
	assert.Equal(t, "resolution=merge-duplicates", upserted.HTTPResponse.Header.Get("Preference-Applied"))
	require.NotNil(t, upserted.JSON200)
	assert.Equal(t, "Acme Ltd", upserted.JSON200.Name)
	assert.Equal(t, &country, upserted.JSON200.Country, "a field left out keeps its value")
	assert.Equal(t, acme.CreatedAt, upserted.JSON200.CreatedAt, "a field left out keeps its value")

	// Products, many in one request.
	product := func(sku, name, price string, tags ...string) shopclient.CreateProductRequest {
		elems := apitest.Ptrs(tags...) // array elements may be null
		return shopclient.CreateProductRequest{
			Sku: sku, Name: name, Price: price, SupplierId: supplierID, Tags: &elems,
			Attributes: map[string]any{"sku": sku},
		}
	}
	inactive := product("MUG-3", "Travel mug", "14.00", "mug")
	off := false
	inactive.Active = &off
	var many shopclient.CreateProductJSONBody
	require.NoError(t, many.FromCreateProductJSONBody1(shopclient.CreateProductJSONBody1{
		product("MUG-1", "Coffee mug", "9.90", "mug", "kitchen"),
		product("MUG-2", "Tea mug", "12.50", "mug"),
		inactive,
		product("MUG-4", "Espresso mug", "19.00", "mug"),
		product("PLATE-1", "Dinner plate", "11.00", "kitchen"),
	}))
	createdMany, err := c.CreateProductWithBodyWithResponse(ctx, nil, "application/json", apitest.JSONBody(t, many))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, createdMany.StatusCode(), "%s", createdMany.Body)
	products, err := createdMany.JSON201.AsCreateProduct201JSONResponseBody1()
	require.NoError(t, err)
	require.Len(t, products, 5)
	mug := products[0]
	assert.Equal(t, "MUG-1", mug.Sku)
	assert.Equal(t, "9.90", mug.Price)
	assert.Equal(t, "EUR", mug.Currency, "the column default")
	assert.True(t, mug.Active, "the column default")
	assert.Equal(t, apitest.Ptrs("mug", "kitchen"), mug.Tags)
	assert.Equal(t, map[string]any{"sku": "MUG-1"}, mug.Attributes)
	assert.Nil(t, mug.WeightGrams)

	gotProduct, err := c.GetProductWithResponse(ctx, mug.Id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, gotProduct.StatusCode(), "%s", gotProduct.Body)
	assert.Equal(t, mug, *gotProduct.JSON200)

	// The supplier's products: an equality filter, operators, a sort and
	// pages of one, the second reached with the first's cursor.
	active := true
	nameIlike := "%MUG"
	priceGte := "10.00"
	sort := "-price"
	limit := 1
	exact := shopclient.ListSupplierProductsParamsCountExact
	params := shopclient.ListSupplierProductsParams{
		Active: &active, NameIlike: &nameIlike, PriceGte: &priceGte, TagsContains: &[]string{"mug"},
		Sort: &sort, Limit: &limit, Count: &exact,
	}
	var pages [][]string
	for len(pages) < 3 {
		list, err := c.ListSupplierProductsWithResponse(ctx, supplierID, &params)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, list.StatusCode(), "%s", list.Body)
		require.NotNil(t, list.JSON200.Total)
		assert.Equal(t, int64(2), *list.JSON200.Total, "Espresso mug and Tea mug")
		var skus []string
		for _, p := range list.JSON200.Items {
			skus = append(skus, p.Sku)
		}
		pages = append(pages, skus)
		if list.JSON200.NextCursor == nil {
			break
		}
		params.Cursor = list.JSON200.NextCursor
	}
	assert.Equal(t, [][]string{{"MUG-4"}, {"MUG-2"}}, pages)

	// PATCH some fields; the others stay.
	price := "8.50"
	grams := int32(350)
	patched, err := c.PatchProductWithResponse(ctx, mug.Id, nil, shopclient.PatchProductJSONRequestBody{Price: &price, WeightGrams: &grams})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, patched.StatusCode(), "%s", patched.Body)
	want := mug
	want.Price, want.WeightGrams = price, &grams
	assert.Equal(t, want, *patched.JSON200)

	// A supplier still referenced by products cannot go: a typed 409.
	refused, err := c.DeleteSupplierWithResponse(ctx, supplierID, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusConflict, refused.StatusCode(), "%s", refused.Body)
	require.NotNil(t, refused.ApplicationproblemJSON409)
	assert.Equal(t, http.StatusConflict, refused.ApplicationproblemJSON409.Status)

	// DELETE, then the row is gone.
	deleted, err := c.DeleteProductWithResponse(ctx, mug.Id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, deleted.StatusCode(), "%s", deleted.Body)
	gone, err := c.GetProductWithResponse(ctx, mug.Id)
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, gone.StatusCode(), "%s", gone.Body)
	assert.Nil(t, gone.JSON200)
	require.NotNil(t, gone.ApplicationproblemJSON404)
	assert.Equal(t, http.StatusNotFound, gone.ApplicationproblemJSON404.Status)
}
