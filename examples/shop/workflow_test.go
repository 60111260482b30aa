package shop_test

// A customer's way through the shop, from registering to reviewing what
// they bought, as a storefront would drive the API.

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// assertRecent asserts that v is an RFC 3339 time with offset within the
// last minute.
func assertRecent(t *testing.T, v any) {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "not a string: %v", v)
	ts, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), ts, time.Minute)
}

func TestShopping(t *testing.T) {
	s := newShop(t)

	// Register a customer with an address.
	r := s.Do(t, http.MethodPost, "/customers", obj{"email": "ada@example.com", "full_name": "Ada Lovelace", "phone": "+49 30 1234567", "marketing_opt_in": true})
	ada := r.Object(t, http.StatusCreated)
	assert.Equal(t, "/customers/1", r.Header.Get("Location"))
	assert.Equal(t, obj{
		"id":               num("1"),
		"email":            "ada@example.com",
		"full_name":        "Ada Lovelace",
		"phone":            "+49 30 1234567",
		"marketing_opt_in": true,
		"created_at":       ada["created_at"],
	}, ada)
	assertRecent(t, ada["created_at"])

	home := s.create(t, "/addresses", obj{"customer_id": ada["id"], "line1": "Torstraße 1", "city": "Berlin", "postal_code": "10119", "country": "DE", "is_default": true})
	assert.Equal(t, obj{
		"id":          num("1"),
		"customer_id": ada["id"],
		"label":       "home",
		"line1":       "Torstraße 1",
		"line2":       nil,
		"city":        "Berlin",
		"postal_code": "10119",
		"country":     "DE",
		"is_default":  true,
	}, home)

	// The catalogue: categories (serial keys), a supplier, products with
	// stock.
	kitchen := s.create(t, "/categories", obj{"name": "Kitchen", "slug": "kitchen"})
	assert.Equal(t, obj{"id": num("1"), "parent_id": nil, "name": "Kitchen", "slug": "kitchen"}, kitchen)
	coffee := s.create(t, "/categories", obj{"parent_id": kitchen["id"], "name": "Coffee", "slug": "coffee"})
	assert.Equal(t, obj{"id": num("2"), "parent_id": num("1"), "name": "Coffee", "slug": "coffee"}, coffee)

	roaster := s.create(t, "/suppliers", obj{"name": "Nordic Roasters", "contact_email": "sales@nordic.example", "country": "SE"})
	assert.Equal(t, obj{
		"id":            num("1"),
		"name":          "Nordic Roasters",
		"contact_email": "sales@nordic.example",
		"country":       "SE",
		"created_at":    roaster["created_at"],
	}, roaster)

	grinder := s.create(t, "/products", obj{
		"sku":          "GRD-100",
		"supplier_id":  roaster["id"],
		"name":         "Hand grinder",
		"description":  "Conical burrs, 40 settings.",
		"price":        "89.90",
		"attributes":   obj{"burr": "conical", "settings": 40, "colours": []string{"black", "steel"}},
		"tags":         []string{"coffee", "manual"},
		"weight_grams": 650,
	})
	assert.Equal(t, obj{
		"id":           num("1"),
		"sku":          "GRD-100",
		"supplier_id":  roaster["id"],
		"name":         "Hand grinder",
		"description":  "Conical burrs, 40 settings.",
		"price":        "89.90",
		"currency":     "EUR",
		"attributes":   obj{"burr": "conical", "settings": num("40"), "colours": []any{"black", "steel"}},
		"tags":         []any{"coffee", "manual"},
		"weight_grams": num("650"),
		"active":       true,
		"created_at":   grinder["created_at"],
	}, grinder)
	beans := s.create(t, "/products", obj{"sku": "BEAN-ETH-250", "supplier_id": roaster["id"], "name": "Ethiopia, 250 g", "price": "12.5"})
	assert.Equal(t, "12.50", beans["price"], "the price comes back with the column's scale")
	assert.Equal(t, []any{}, beans["tags"])
	assert.Equal(t, obj{}, beans["attributes"])
	assert.Nil(t, beans["weight_grams"])

	for _, link := range []obj{
		{"product_id": grinder["id"], "category_id": kitchen["id"]},
		{"product_id": grinder["id"], "category_id": coffee["id"]},
		{"product_id": beans["id"], "category_id": coffee["id"]},
	} {
		assert.Equal(t, link, s.create(t, "/product_categories", link))
	}
	assert.Len(t, s.Do(t, http.MethodGet, "/product_categories", nil).Items(t), 3)
	assert.Equal(t, obj{"product_id": num("1"), "category_id": num("2")},
		s.Do(t, http.MethodGet, "/product_categories/1/2", nil).Object(t, http.StatusOK))

	r = s.Do(t, http.MethodPost, "/inventories", obj{"product_id": grinder["id"], "quantity": 5, "reorder_level": 2})
	stock := r.Object(t, http.StatusCreated)
	assert.Equal(t, "/inventories/1", r.Header.Get("Location"))
	assert.Equal(t, obj{"product_id": num("1"), "quantity": num("5"), "reorder_level": num("2"), "updated_at": stock["updated_at"]}, stock)
	s.create(t, "/inventories", obj{"product_id": beans["id"], "quantity": 20})

	// Shopping: a cart with two products.
	cart := s.create(t, "/carts", obj{"customer_id": ada["id"]})
	assert.Regexp(t, uuidPattern, cart["token"])
	assert.Equal(t, ada["id"], cart["customer_id"])
	r = s.Do(t, http.MethodPost, "/cart_items", obj{"cart_id": cart["id"], "product_id": grinder["id"], "quantity": 1})
	r.Object(t, http.StatusCreated)
	assert.Equal(t, "/cart_items/1/1", r.Header.Get("Location"))
	s.create(t, "/cart_items", obj{"cart_id": cart["id"], "product_id": beans["id"], "quantity": 2})
	changed := s.Do(t, http.MethodPatch, "/cart_items/1/2", obj{"quantity": 3}).Object(t, http.StatusOK)
	assert.Equal(t, num("3"), changed["quantity"])
	assert.Len(t, s.Do(t, http.MethodGet, "/cart_items", nil).Items(t), 2)

	// Checkout: an order with the cart's items takes them from stock.
	order := s.order(t, ada, home)
	assert.Equal(t, obj{
		"id":                  num("1"),
		"customer_id":         ada["id"],
		"shipping_address_id": home["id"],
		"coupon_id":           nil,
		"status":              "pending",
		"currency":            "EUR",
		"notes":               nil,
		"placed_at":           order["placed_at"],
		"paid_at":             nil,
	}, order)
	assertRecent(t, order["placed_at"])
	orderPath := "/orders/" + idOf(t, order)

	line := s.orderItem(t, order, grinder, 1)
	assert.Equal(t, obj{"id": num("1"), "order_id": order["id"], "product_id": grinder["id"], "quantity": num("1"), "unit_price": "89.90", "line_total": "89.90"}, line)
	line = s.orderItem(t, order, beans, 3)
	assert.Equal(t, "37.50", line["line_total"], "line_total is quantity * unit_price, computed by the database")
	assert.Equal(t, num("4"), s.stockOf(t, grinder))
	assert.Equal(t, num("17"), s.stockOf(t, beans))

	// The cart is done with; its items go with it.
	require.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, "/carts/"+idOf(t, cart), nil).Status)
	assert.Equal(t, `{"items":[]}`, string(s.Do(t, http.MethodGet, "/cart_items", nil).Raw))

	// A coupon, applied to the order.
	coupon := s.create(t, "/coupons", obj{"code": "WELCOME10", "discount_percent": "10", "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00+01:00"})
	assert.Equal(t, obj{
		"id":               num("1"),
		"code":             "WELCOME10",
		"description":      nil,
		"discount_percent": "10.00",
		"max_redemptions":  nil,
		"valid_from":       "2026-01-01T00:00:00Z",
		"valid_until":      "2026-12-31T23:00:00Z",
		"active":           true,
	}, coupon)
	order = s.Do(t, http.MethodPatch, orderPath, obj{"coupon_id": coupon["id"], "notes": "Please ring twice."}).Object(t, http.StatusOK)
	assert.Equal(t, coupon["id"], order["coupon_id"])
	assert.Equal(t, "Please ring twice.", order["notes"])

	// The read-only view adds the order up.
	assert.Equal(t, []any{obj{"order_id": order["id"], "status": "pending", "currency": "EUR", "item_count": "2", "subtotal": "127.40"}},
		s.Do(t, http.MethodGet, "/order_totals", nil).Items(t))

	// Pay: a payment, then the order is paid.
	payment := s.create(t, "/payments", obj{"order_id": order["id"], "method": "card", "amount": "114.66", "provider_reference": "ch_3PqX9a"})
	assert.Equal(t, obj{
		"id":                 num("1"),
		"order_id":           order["id"],
		"method":             "card",
		"status":             "captured",
		"amount":             "114.66",
		"currency":           "EUR",
		"provider_reference": "ch_3PqX9a",
		"created_at":         payment["created_at"],
	}, payment)
	order = s.Do(t, http.MethodPatch, orderPath, obj{"status": "paid", "paid_at": "2026-03-01T10:00:00Z"}).Object(t, http.StatusOK)
	assert.Equal(t, "paid", order["status"])
	assert.Equal(t, "2026-03-01T10:00:00Z", order["paid_at"])

	// Ship.
	shipment := s.create(t, "/shipments", obj{"order_id": order["id"], "carrier": "DHL", "tracking_number": "00340434161234567890", "shipped_at": "2026-03-02T08:30:00Z"})
	assert.Equal(t, obj{
		"id":              num("1"),
		"order_id":        order["id"],
		"carrier":         "DHL",
		"tracking_number": "00340434161234567890",
		"shipped_at":      "2026-03-02T08:30:00Z",
		"delivered_at":    nil,
	}, shipment)
	assert.Equal(t, "shipped", s.Do(t, http.MethodPatch, orderPath, obj{"status": "shipped"}).Object(t, http.StatusOK)["status"])

	// Deliver.
	shipment = s.Do(t, http.MethodPatch, "/shipments/"+idOf(t, shipment), obj{"delivered_at": "2026-03-03T14:00:00+01:00"}).Object(t, http.StatusOK)
	assert.Equal(t, "2026-03-03T13:00:00Z", shipment["delivered_at"])
	order = s.Do(t, http.MethodPatch, orderPath, obj{"status": "delivered"}).Object(t, http.StatusOK)
	assert.Equal(t, obj{
		"id":                  order["id"],
		"customer_id":         ada["id"],
		"shipping_address_id": home["id"],
		"coupon_id":           coupon["id"],
		"status":              "delivered",
		"currency":            "EUR",
		"notes":               "Please ring twice.",
		"placed_at":           order["placed_at"],
		"paid_at":             "2026-03-01T10:00:00Z",
	}, order)
	assert.Equal(t, order, s.Do(t, http.MethodGet, orderPath, nil).Object(t, http.StatusOK))

	// Review what arrived.
	review := s.create(t, "/reviews", obj{"product_id": grinder["id"], "customer_id": ada["id"], "rating": 5, "title": "Consistent grind"})
	assert.Equal(t, obj{
		"id":          num("1"),
		"product_id":  grinder["id"],
		"customer_id": ada["id"],
		"rating":      num("5"),
		"title":       "Consistent grind",
		"body":        "",
		"created_at":  review["created_at"],
	}, review)
	s.create(t, "/reviews", obj{"product_id": beans["id"], "customer_id": ada["id"], "rating": 1})

	// Stock was taken once, by the order items.
	assert.Equal(t, num("4"), s.stockOf(t, grinder))
	assert.Equal(t, num("17"), s.stockOf(t, beans))
}

// Changing or removing an order item gives its units back to the stock
// before taking the new quantity; deleting an order removes its items.
func TestStockFollowsOrderItems(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	home := s.address(t, ada, true)
	supplier := s.supplier(t, "Acme")
	mug := s.product(t, supplier, "MUG-1", "9.00", 10)
	plate := s.product(t, supplier, "PLATE-1", "14.00", 10)
	order := s.order(t, ada, home)

	item := s.orderItem(t, order, mug, 4)
	itemPath := "/order_items/" + idOf(t, item)
	assert.Equal(t, num("6"), s.stockOf(t, mug))

	item = s.Do(t, http.MethodPatch, itemPath, obj{"quantity": 7}).Object(t, http.StatusOK)
	assert.Equal(t, "63.00", item["line_total"])
	assert.Equal(t, num("3"), s.stockOf(t, mug))

	// Switching the product moves the units from one stock to the other.
	s.Do(t, http.MethodPatch, itemPath, obj{"product_id": plate["id"], "quantity": 2, "unit_price": "14.00"}).Object(t, http.StatusOK)
	assert.Equal(t, num("10"), s.stockOf(t, mug))
	assert.Equal(t, num("8"), s.stockOf(t, plate))

	require.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, itemPath, nil).Status)
	assert.Equal(t, num("10"), s.stockOf(t, plate))

	// Deleting a pending order cascades to its items, which give their
	// units back.
	s.orderItem(t, order, mug, 5)
	s.orderItem(t, order, plate, 1)
	assert.Equal(t, num("5"), s.stockOf(t, mug))
	require.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, "/orders/"+idOf(t, order), nil).Status)
	assert.Equal(t, 0, s.count(t, "order_items"))
	assert.Equal(t, num("10"), s.stockOf(t, mug))
	assert.Equal(t, num("10"), s.stockOf(t, plate))
}
