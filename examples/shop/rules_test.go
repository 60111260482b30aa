package shop_test

// The shop's rules, as the schema states them and the API reports their
// violations: stock, uniqueness, what may be deleted, and the checks only
// the database knows.

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crudgen/crudgen/internal/apitest"
)

// The order_items trigger takes units from inventory, whose CHECK
// (quantity >= 0) refuses to go negative: the whole insert fails, so
// neither the item nor the stock change is written.
func TestOrderingMoreThanInStock(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	home := s.address(t, ada, true)
	lamp := s.product(t, s.supplier(t, "Acme"), "LAMP-1", "49.00", 2)
	order := s.order(t, ada, home)

	item := obj{"order_id": order["id"], "product_id": lamp["id"], "quantity": 3, "unit_price": "49.00"}
	p := s.Do(t, http.MethodPost, "/order_items", item).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body"))
	assert.Equal(t, "violates check constraint stock_cannot_go_negative", p.Errors[0].Message,
		"the violated constraint is inventory's, which the order_items resource does not describe: it is named")
	assert.Equal(t, 0, s.count(t, "order_items"))
	assert.Equal(t, num("2"), s.stockOf(t, lamp))

	// All of the stock can be ordered, and then none is left.
	placed := s.create(t, "/order_items", with(item, obj{"quantity": 2}))
	assert.Equal(t, num("0"), s.stockOf(t, lamp))

	// Another order for a single unit fails the same way ...
	other := s.order(t, ada, home)
	s.Do(t, http.MethodPost, "/order_items", with(item, obj{"order_id": other["id"], "quantity": 1})).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body"))
	// ... and so does raising the quantity of the placed item, by PUT or PATCH.
	path := "/order_items/" + idOf(t, placed)
	s.Do(t, http.MethodPatch, path, obj{"quantity": 3}).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body"))
	s.Do(t, http.MethodPut, path, with(item, obj{"quantity": 3})).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body"))

	assert.Equal(t, 1, s.count(t, "order_items"))
	assert.Equal(t, num("0"), s.stockOf(t, lamp))
	assert.Equal(t, num("2"), s.Do(t, http.MethodGet, path, nil).Object(t, http.StatusOK)["quantity"])
}

// Stock set directly cannot be negative either.
func TestInventoryCannotBeNegative(t *testing.T) {
	s := newShop(t)
	lamp := s.product(t, s.supplier(t, "Acme"), "LAMP-1", "49.00", 2)
	s.Send(t, http.MethodPatch, "/inventories/"+idOf(t, lamp), obj{"quantity": -1}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("minimum", "body", "quantity"))
	s.Do(t, http.MethodPost, "/inventories", obj{"product_id": 99, "quantity": 1}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("foreign_key", "body", "product_id"))
	s.Do(t, http.MethodPost, "/inventories", obj{"product_id": lamp["id"], "quantity": 1}).
		ErrorsOf(t, http.StatusConflict, apitest.At("unique", "body", "product_id"))
	assert.Equal(t, num("2"), s.stockOf(t, lamp))
}

func TestDuplicates(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	bob := s.customer(t, "bob@example.com")
	home := s.address(t, ada, true)
	acme := s.supplier(t, "Acme")
	lamp := s.product(t, acme, "LAMP-1", "49.00", 10)
	s.create(t, "/coupons", obj{"code": "SPRING", "discount_percent": "15", "valid_until": "2030-01-01T00:00:00Z"})
	order := s.order(t, ada, home)
	s.orderItem(t, order, lamp, 1)
	s.create(t, "/reviews", obj{"product_id": lamp["id"], "customer_id": ada["id"], "rating": 4})

	for _, tc := range []struct {
		name         string
		method, path string
		body         obj
		want         []apitest.Located
	}{
		{"customer email", "POST", "/customers", obj{"email": "ada@example.com", "full_name": "Ada again"}, []apitest.Located{apitest.At("unique", "body", "email")}},
		{"customer email on patch", "PATCH", "/customers/" + idOf(t, bob), obj{"email": "ada@example.com"}, []apitest.Located{apitest.At("unique", "body", "email")}},
		{"product sku", "POST", "/products", obj{"sku": "LAMP-1", "supplier_id": acme["id"], "name": "Another lamp", "price": "1.00"}, []apitest.Located{apitest.At("unique", "body", "sku")}},
		{"coupon code", "POST", "/coupons", obj{"code": "SPRING", "discount_percent": "20", "valid_until": "2031-01-01T00:00:00Z"}, []apitest.Located{apitest.At("unique", "body", "code")}},
		{"supplier name", "POST", "/suppliers", obj{"name": "Acme"}, []apitest.Located{apitest.At("unique", "body", "name")}},
		{"one review per customer and product", "POST", "/reviews", obj{"product_id": lamp["id"], "customer_id": ada["id"], "rating": 1},
			[]apitest.Located{apitest.At("unique", "body", "product_id"), apitest.At("unique", "body", "customer_id")}},
		{"a product once per order", "POST", "/order_items", obj{"order_id": order["id"], "product_id": lamp["id"], "quantity": 1, "unit_price": "49.00"},
			[]apitest.Located{apitest.At("unique", "body", "order_id"), apitest.At("unique", "body", "product_id")}},
		{"one default address per customer (a partial unique index)", "POST", "/addresses",
			obj{"customer_id": ada["id"], "line1": "Work", "city": "Berlin", "postal_code": "10115", "country": "DE", "is_default": true},
			[]apitest.Located{apitest.At("unique", "body", "customer_id")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := s.Do(t, tc.method, tc.path, tc.body).ErrorsOf(t, http.StatusConflict, tc.want...)
			assert.Equal(t, "The request conflicts with an existing row.", p.Detail)
		})
	}

	assert.Equal(t, 2, s.count(t, "customers"))
	assert.Equal(t, "bob@example.com", s.Do(t, http.MethodGet, "/customers/"+idOf(t, bob), nil).Object(t, http.StatusOK)["email"])
	assert.Equal(t, 1, s.count(t, "products"))
	assert.Equal(t, 1, s.count(t, "coupons"))
	assert.Equal(t, 1, s.count(t, "reviews"))
	assert.Equal(t, 1, s.count(t, "order_items"))
	assert.Equal(t, num("9"), s.stockOf(t, lamp), "the refused order item took nothing from stock")

	// A second address that is not the default is fine.
	s.address(t, ada, false)
}

// A product that was ordered stays for the order's sake (RESTRICT); one
// that is only in carts, categories, stock and reviews takes those along
// (CASCADE).
func TestDeletingProducts(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	home := s.address(t, ada, true)
	acme := s.supplier(t, "Acme")
	lamp := s.product(t, acme, "LAMP-1", "49.00", 10)
	vase := s.product(t, acme, "VASE-1", "19.00", 10)
	s.orderItem(t, s.order(t, ada, home), lamp, 1)

	p := s.Do(t, http.MethodDelete, "/products/"+idOf(t, lamp), nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "id"))
	assert.Equal(t, "The row is still referenced by rows of order_items.", p.Detail)
	s.Do(t, http.MethodGet, "/products/"+idOf(t, lamp), nil).Object(t, http.StatusOK)
	assert.Equal(t, num("9"), s.stockOf(t, lamp))

	// The supplier of products cannot go either.
	p = s.Do(t, http.MethodDelete, "/suppliers/"+idOf(t, acme), nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "id"))
	assert.Equal(t, "The row is still referenced by rows of products.", p.Detail)

	category := s.create(t, "/categories", obj{"name": "Decor", "slug": "decor"})
	s.create(t, "/product_categories", obj{"product_id": vase["id"], "category_id": category["id"]})
	cart := s.create(t, "/carts", obj{"customer_id": ada["id"]})
	s.create(t, "/cart_items", obj{"cart_id": cart["id"], "product_id": vase["id"], "quantity": 2})
	s.create(t, "/reviews", obj{"product_id": vase["id"], "customer_id": ada["id"], "rating": 3})

	assert.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, "/products/"+idOf(t, vase), nil).Status)
	s.Do(t, http.MethodGet, "/inventories/"+idOf(t, vase), nil).Problem(t, http.StatusNotFound)
	assert.Equal(t, 0, s.count(t, "product_categories"))
	assert.Equal(t, 0, s.count(t, "cart_items"))
	assert.Equal(t, 0, s.count(t, "reviews"))
	s.Do(t, http.MethodGet, "/categories/"+idOf(t, category), nil).Object(t, http.StatusOK)
	s.Do(t, http.MethodGet, "/carts/"+idOf(t, cart), nil).Object(t, http.StatusOK)
}

// A customer without orders takes their addresses, carts (with their
// items) and reviews along; one with orders is kept for accounting.
func TestDeletingCustomers(t *testing.T) {
	s := newShop(t)
	lamp := s.product(t, s.supplier(t, "Acme"), "LAMP-1", "49.00", 10)

	ada := s.customer(t, "ada@example.com")
	home := s.address(t, ada, true)
	s.address(t, ada, false)
	cart := s.create(t, "/carts", obj{"customer_id": ada["id"]})
	s.create(t, "/cart_items", obj{"cart_id": cart["id"], "product_id": lamp["id"], "quantity": 1})
	s.create(t, "/reviews", obj{"product_id": lamp["id"], "customer_id": ada["id"], "rating": 5})
	guestCart := s.create(t, "/carts", obj{})
	assert.Nil(t, guestCart["customer_id"], "a guest's cart has no customer")

	bob := s.customer(t, "bob@example.com")
	bobsHome := s.address(t, bob, true)
	s.create(t, "/carts", obj{"customer_id": bob["id"]})
	s.order(t, bob, bobsHome)

	assert.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, "/customers/"+idOf(t, ada), nil).Status)
	s.Do(t, http.MethodGet, "/customers/"+idOf(t, ada), nil).Problem(t, http.StatusNotFound)
	s.Do(t, http.MethodGet, "/addresses/"+idOf(t, home), nil).Problem(t, http.StatusNotFound)
	s.Do(t, http.MethodGet, "/carts/"+idOf(t, cart), nil).Problem(t, http.StatusNotFound)
	assert.Equal(t, 1, s.count(t, "addresses"), "only Bob's address is left")
	assert.Equal(t, 2, s.count(t, "carts"), "Bob's and the guest's carts are left")
	assert.Equal(t, 0, s.count(t, "cart_items"))
	assert.Equal(t, 0, s.count(t, "reviews"))

	p := s.Do(t, http.MethodDelete, "/customers/"+idOf(t, bob), nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "id"))
	assert.Equal(t, "The row is still referenced by rows of orders.", p.Detail)
	s.Do(t, http.MethodGet, "/customers/"+idOf(t, bob), nil).Object(t, http.StatusOK)
	assert.Equal(t, 1, s.count(t, "addresses"))
	assert.Equal(t, 2, s.count(t, "carts"))

	// The address an order ships to cannot be deleted on its own either.
	s.Do(t, http.MethodDelete, "/addresses/"+idOf(t, bobsHome), nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "id"))
}

// An order that was paid keeps its payments: it cannot be deleted.
func TestDeletingPaidOrders(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	order := s.order(t, ada, s.address(t, ada, true))
	s.create(t, "/payments", obj{"order_id": order["id"], "method": "paypal", "amount": "10.00"})
	p := s.Do(t, http.MethodDelete, "/orders/"+idOf(t, order), nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "id"))
	assert.Equal(t, "The row is still referenced by rows of payments.", p.Detail)
	assert.Equal(t, 1, s.count(t, "orders"))
}

// Deleting a category makes its subcategories top-level (SET NULL).
func TestDeletingParentCategories(t *testing.T) {
	s := newShop(t)
	kitchen := s.create(t, "/categories", obj{"name": "Kitchen", "slug": "kitchen"})
	coffee := s.create(t, "/categories", obj{"parent_id": kitchen["id"], "name": "Coffee", "slug": "coffee"})
	assert.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, "/categories/"+idOf(t, kitchen), nil).Status)
	coffee = s.Do(t, http.MethodGet, "/categories/"+idOf(t, coffee), nil).Object(t, http.StatusOK)
	assert.Nil(t, coffee["parent_id"])
	assert.Contains(t, coffee, "parent_id")
}

// coupons_validity_window CHECK (valid_until > valid_from) spans two
// columns: only the database checks it, and its violation is located at
// both.
func TestCouponValidityWindow(t *testing.T) {
	s := newShop(t)
	coupon := obj{"code": "SUMMER", "discount_percent": "5", "valid_from": "2026-06-01T00:00:00Z", "valid_until": "2026-05-31T23:59:59Z"}
	window := []apitest.Located{apitest.At("check", "body", "valid_until"), apitest.At("check", "body", "valid_from")}

	p := s.Do(t, http.MethodPost, "/coupons", coupon).ErrorsOf(t, http.StatusUnprocessableEntity, window...)
	assert.Equal(t, "must satisfy valid_until > valid_from", p.Errors[0].Message)
	s.Do(t, http.MethodPost, "/coupons", with(coupon, obj{"valid_until": "2026-06-01T00:00:00Z"})).
		ErrorsOf(t, http.StatusUnprocessableEntity, window...)
	// The same instant in another offset is not later.
	s.Do(t, http.MethodPost, "/coupons", with(coupon, obj{"valid_until": "2026-06-01T02:00:00+02:00"})).
		ErrorsOf(t, http.StatusUnprocessableEntity, window...)
	// valid_from defaults to now().
	s.Do(t, http.MethodPost, "/coupons", obj{"code": "PAST", "discount_percent": "5", "valid_until": "2020-01-01T00:00:00Z"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, window...)
	assert.Equal(t, 0, s.count(t, "coupons"))

	created := s.create(t, "/coupons", with(coupon, obj{"valid_until": "2026-09-01T00:00:00Z"}))
	path := "/coupons/" + idOf(t, created)
	s.Do(t, http.MethodPatch, path, obj{"valid_from": "2026-10-01T00:00:00Z"}).ErrorsOf(t, http.StatusUnprocessableEntity, window...)
	s.Do(t, http.MethodPut, path, with(coupon, obj{"valid_until": "2025-01-01T00:00:00Z"})).ErrorsOf(t, http.StatusUnprocessableEntity, window...)
	assert.Equal(t, created, s.Do(t, http.MethodGet, path, nil).Object(t, http.StatusOK))
}

// orders.coupon_id is a nullable foreign key: null is no coupon, a missing
// coupon is a 422 at coupon_id.
func TestOrderCoupon(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	home := s.address(t, ada, true)
	order := obj{"customer_id": ada["id"], "shipping_address_id": home["id"]}

	p := s.Do(t, http.MethodPost, "/orders", with(order, obj{"coupon_id": 42})).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("foreign_key", "body", "coupon_id"))
	assert.Equal(t, "must reference an existing row of public.coupons", p.Errors[0].Message)
	assert.Equal(t, 0, s.count(t, "orders"))

	created := s.create(t, "/orders", with(order, obj{"coupon_id": nil}))
	assert.Nil(t, created["coupon_id"])
	path := "/orders/" + idOf(t, created)
	s.Do(t, http.MethodPatch, path, obj{"coupon_id": 42}).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("foreign_key", "body", "coupon_id"))

	coupon := s.create(t, "/coupons", obj{"code": "TEN", "discount_percent": "10", "valid_until": "2030-01-01T00:00:00Z"})
	assert.Equal(t, coupon["id"], s.Do(t, http.MethodPatch, path, obj{"coupon_id": coupon["id"]}).Object(t, http.StatusOK)["coupon_id"])
	// A coupon that was used cannot be deleted (NO ACTION) ...
	s.Do(t, http.MethodDelete, "/coupons/"+idOf(t, coupon), nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "id"))
	// ... until the order lets go of it.
	assert.Nil(t, s.Do(t, http.MethodPatch, path, obj{"coupon_id": nil}).Object(t, http.StatusOK)["coupon_id"])
	assert.Equal(t, http.StatusNoContent, s.Do(t, http.MethodDelete, "/coupons/"+idOf(t, coupon), nil).Status)

	// The other foreign keys of an order, all at once.
	s.Do(t, http.MethodPost, "/orders", obj{"customer_id": 99, "shipping_address_id": home["id"]}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("foreign_key", "body", "customer_id"))
	s.Do(t, http.MethodPost, "/orders", obj{"customer_id": ada["id"], "shipping_address_id": 99}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("foreign_key", "body", "shipping_address_id"))
}

// An order leaves pending or cancelled only with paid_at
// (orders_paid_at_when_paid), and a shipment is delivered after it was
// shipped (shipments_delivered_after_shipped): checks over two columns.
func TestOrderAndShipmentChecks(t *testing.T) {
	s := newShop(t)
	ada := s.customer(t, "ada@example.com")
	order := s.order(t, ada, s.address(t, ada, true))
	path := "/orders/" + idOf(t, order)

	paid := []apitest.Located{apitest.At("check", "body", "status"), apitest.At("check", "body", "paid_at")}
	for _, status := range []string{"paid", "shipped", "delivered"} {
		s.Do(t, http.MethodPatch, path, obj{"status": status}).ErrorsOf(t, http.StatusUnprocessableEntity, paid...)
	}
	s.Do(t, http.MethodPost, "/orders", obj{"customer_id": ada["id"], "shipping_address_id": order["shipping_address_id"], "status": "shipped"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, paid...)
	s.Send(t, http.MethodPatch, path, obj{"status": "refunded"}).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("enum", "body", "status"))
	assert.Equal(t, "cancelled", s.Do(t, http.MethodPatch, path, obj{"status": "cancelled"}).Object(t, http.StatusOK)["status"])

	paidOrder := s.Do(t, http.MethodPatch, path, obj{"status": "paid", "paid_at": "2026-03-01T10:00:00Z"}).Object(t, http.StatusOK)
	s.Do(t, http.MethodPatch, path, obj{"paid_at": nil}).ErrorsOf(t, http.StatusUnprocessableEntity, paid...)
	assert.Equal(t, paidOrder, s.Do(t, http.MethodGet, path, nil).Object(t, http.StatusOK))

	shipment := obj{"order_id": order["id"], "carrier": "UPS", "shipped_at": "2026-03-02T08:00:00Z", "delivered_at": "2026-03-02T07:59:59Z"}
	delivered := []apitest.Located{apitest.At("check", "body", "delivered_at"), apitest.At("check", "body", "shipped_at")}
	s.Do(t, http.MethodPost, "/shipments", shipment).ErrorsOf(t, http.StatusUnprocessableEntity, delivered...)
	created := s.create(t, "/shipments", with(shipment, obj{"delivered_at": nil}))
	s.Do(t, http.MethodPatch, "/shipments/"+idOf(t, created), obj{"delivered_at": "2026-03-01T00:00:00Z"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, delivered...)
	s.Do(t, http.MethodPost, "/shipments", with(shipment, obj{"order_id": 99, "delivered_at": nil})).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("foreign_key", "body", "order_id"))
	assert.Equal(t, 1, s.count(t, "shipments"))
}
