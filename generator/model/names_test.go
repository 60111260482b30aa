package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExported(t *testing.T) {
	for in, want := range map[string]string{
		"user_id": "UserID", "userId": "UserID", "id": "ID", "url": "URL", "HTTPServer": "HTTPServer",
		"Order Items": "OrderItems", "2fa": "X2fa", "تست": "Xتست", "": "X", "_": "X", "type": "Type",
		"SPECIAL \"@/\\#~_-": "Special", "jsonData": "JSONData", "bıgınt": "Bıgınt", "ProductID": "ProductID",
		"uuid_v4": "UUIDV4", "a1b2": "A1b2", "QRTZ_JOB_DETAILS": "QrtzJobDetails", "iso_8601": "Iso8601",
	} {
		assert.Equal(t, want, exported(in), in)
	}
}

func TestUnexported(t *testing.T) {
	for in, want := range map[string]string{
		"user_id": "userID", "ID": "id", "URL": "url", "type": "type_", "len": "len_", "2fa": "x2fa",
		"Order Items": "orderItems", "تست": "تست", "": "x", "range": "range_",
	} {
		assert.Equal(t, want, unexported(in), in)
	}
}

func TestSlugAndPlural(t *testing.T) {
	assert.Equal(t, "albums", slug(plural("album")))
	assert.Equal(t, "people", slug(plural("person")))
	assert.Equal(t, "users", slug(plural("users")))
	assert.Equal(t, "post_tags", slug(plural("post_tags")))
	assert.Equal(t, "special", slug(`SPECIAL "@/\#~_-`))
	assert.Equal(t, "تست", slug("تست"))
	assert.Equal(t, "order-items", slug("Order Items"))
}

func TestFileName(t *testing.T) {
	assert.Equal(t, "users", fileName("users"))
	assert.Equal(t, "users_linux_api", fileName("users_linux"))
	assert.Equal(t, "x_test_api", fileName("x_test"))
	assert.Equal(t, "table", fileName("تست"))
	assert.Equal(t, "order_items", fileName("Order Items"))
}

func TestNamer(t *testing.T) {
	n := newNamer("Options")
	assert.Equal(t, "Options2", n.unique("Options"))
	assert.Equal(t, "UserID", n.unique("UserID"))
	assert.Equal(t, "UserID2", n.unique("UserID"))
}
