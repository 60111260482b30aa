package blog_test

// What the values mean: absent versus null, and how each type round-trips.

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestPatchTellsAbsentFromNull(t *testing.T) {
	b := newBlog(t)
	a := b.create(t, "/authors", obj{"email": "ada@example.com", "name": "Ada", "bio": "Hello", "born_on": "1990-05-17"})
	path := "/authors/" + idOf(t, a)

	// Absent keeps the value.
	r := b.Do(t, http.MethodPatch, path, obj{"name": "Ada L."}).Object(t, http.StatusOK)
	want := clone(a)
	want["name"] = "Ada L."
	assert.Equal(t, want, r)

	// An empty patch changes nothing.
	assert.Equal(t, want, b.Do(t, http.MethodPatch, path, obj{}).Object(t, http.StatusOK))

	// null sets NULL, and only where it is given.
	r = b.Do(t, http.MethodPatch, path, obj{"bio": nil}).Object(t, http.StatusOK)
	want["bio"] = nil
	assert.Equal(t, want, r)
	assert.Contains(t, r, "bio")

	r = b.Do(t, http.MethodPatch, path, obj{"born_on": nil}).Object(t, http.StatusOK)
	want["born_on"] = nil
	assert.Equal(t, want, r)

	// A value again.
	r = b.Do(t, http.MethodPatch, path, obj{"bio": "Back", "born_on": "1815-12-10"}).Object(t, http.StatusOK)
	want["bio"], want["born_on"] = "Back", "1815-12-10"
	assert.Equal(t, want, r)

	// null on a NOT NULL column is a 422 and changes nothing.
	b.Send(t, http.MethodPatch, path, obj{"name": nil, "bio": nil}).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "body", "name"))
	assert.Equal(t, want, b.Do(t, http.MethodGet, path, nil).Object(t, http.StatusOK))
}

func TestPatchNullableColumnsOfPosts(t *testing.T) {
	b := newBlog(t)
	p := b.create(t, "/posts", obj{
		"author_id": b.author(t, "ada@example.com")["id"], "title": "T", "slug": "t",
		"rating": "3.00", "scheduled_for": "2026-01-02T10:00:00", "status": "published", "published_at": "2026-01-02T09:00:00Z",
	})
	path := "/posts/" + idOf(t, p)

	r := b.Do(t, http.MethodPatch, path, obj{"body": "text"}).Object(t, http.StatusOK)
	assert.Equal(t, "3.00", r["rating"])
	assert.Equal(t, "2026-01-02T10:00:00", r["scheduled_for"])
	assert.Equal(t, "2026-01-02T09:00:00Z", r["published_at"])

	r = b.Do(t, http.MethodPatch, path, obj{"rating": nil, "scheduled_for": nil}).Object(t, http.StatusOK)
	assert.Nil(t, r["rating"])
	assert.Nil(t, r["scheduled_for"])
	assert.Equal(t, "2026-01-02T09:00:00Z", r["published_at"])
	assert.Equal(t, "text", r["body"])

	// Back to draft: published_at must go in the same request.
	r = b.Do(t, http.MethodPatch, path, obj{"status": "draft", "published_at": nil}).Object(t, http.StatusOK)
	assert.Equal(t, "draft", r["status"])
	assert.Nil(t, r["published_at"])
}

// authors.bio is nullable with a default: absent means the default, null
// means NULL, on create and on replace.
func TestNullableColumnWithDefault(t *testing.T) {
	b := newBlog(t)

	absent := b.create(t, "/authors", obj{"email": "a@example.com", "name": "A"})
	assert.Equal(t, "", absent["bio"])
	null := b.create(t, "/authors", obj{"email": "b@example.com", "name": "B", "bio": nil})
	assert.Contains(t, null, "bio")
	assert.Nil(t, null["bio"])
	given := b.create(t, "/authors", obj{"email": "c@example.com", "name": "C", "bio": "Hi"})
	assert.Equal(t, "Hi", given["bio"])

	assert.Equal(t, "", b.Do(t, http.MethodGet, "/authors/"+idOf(t, absent), nil).Object(t, http.StatusOK)["bio"])
	assert.Nil(t, b.Do(t, http.MethodGet, "/authors/"+idOf(t, null), nil).Object(t, http.StatusOK)["bio"])

	// PUT: absent → default, null → NULL.
	r := b.Do(t, http.MethodPut, "/authors/"+idOf(t, given), obj{"email": "c@example.com", "name": "C"}).Object(t, http.StatusOK)
	assert.Equal(t, "", r["bio"])
	r = b.Do(t, http.MethodPut, "/authors/"+idOf(t, given), obj{"email": "c@example.com", "name": "C", "bio": nil}).Object(t, http.StatusOK)
	assert.Nil(t, r["bio"])
}

// numeric(3,2) values come back as strings with the column's scale, never
// through a float. The document says decimals are strings; the API also
// accepts JSON numbers, which the document does not promise, so those
// requests are not validated against it.
func TestNumericRoundTrip(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	for i, tc := range []struct {
		name string
		in   string // the JSON of the rating
		want string
	}{
		{"string with scale", `"4.50"`, "4.50"},
		{"string without trailing zero", `"4.5"`, "4.50"},
		{"JSON number", `4.5`, "4.50"},
		{"JSON integer", `5`, "5.00"},
		{"zero", `"0"`, "0.00"},
		{"upper bound", `"5.00"`, "5.00"},
		{"smallest step", `"0.01"`, "0.01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slug := "p" + string(rune('a'+i))
			body := `{"author_id": ` + idOf(t, ada) + `, "title": "T", "slug": "` + slug + `", "rating": ` + tc.in + `}`
			do := b.Do
			if tc.in[0] != '"' {
				do = b.Send
			}
			created := do(t, http.MethodPost, "/posts", body).Object(t, http.StatusCreated)
			assert.Equal(t, tc.want, created["rating"])
			path := "/posts/" + idOf(t, created)
			assert.Equal(t, tc.want, b.Do(t, http.MethodGet, path, nil).Object(t, http.StatusOK)["rating"])

			patched := do(t, http.MethodPatch, path, `{"rating": `+tc.in+`}`).Object(t, http.StatusOK)
			assert.Equal(t, tc.want, patched["rating"])
		})
	}
}

func TestEmptyLists(t *testing.T) {
	b := newBlog(t)
	for _, path := range []string{"/authors", "/posts", "/comments", "/tags", "/post_tags", "/page_views", "/published_posts"} {
		r := b.Do(t, http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, r.Status)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"), path)
		assert.Equal(t, `{"items":[]}`, string(r.Raw), path)
	}
}

func TestTimestamps(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")

	t.Run("timestamp without time zone round-trips without offset", func(t *testing.T) {
		for i, v := range []string{"2026-01-02T10:00:00", "2026-01-02T10:00:00.5", "2026-01-02T23:59:59.123456", "1999-12-31T00:00:01"} {
			p := b.create(t, "/posts", obj{"author_id": ada["id"], "title": "T", "slug": "ts" + string(rune('a'+i)), "scheduled_for": v})
			assert.Equal(t, v, p["scheduled_for"])
			assert.Equal(t, v, b.Do(t, http.MethodGet, "/posts/"+idOf(t, p), nil).Object(t, http.StatusOK)["scheduled_for"])
		}
	})

	t.Run("timestamp with time zone takes any offset and answers in UTC", func(t *testing.T) {
		for i, tc := range []struct{ in, want string }{
			{"2026-01-02T10:00:00Z", "2026-01-02T10:00:00Z"},
			{"2026-01-02T10:00:00+02:00", "2026-01-02T08:00:00Z"},
			{"2026-01-02T10:00:00.123456-05:30", "2026-01-02T15:30:00.123456Z"},
			{"2026-01-02T10:00:00.5+00:00", "2026-01-02T10:00:00.5Z"},
		} {
			p := b.create(t, "/posts", obj{"author_id": ada["id"], "title": "T", "slug": "tz" + string(rune('a'+i)), "status": "published", "published_at": tc.in})
			assert.Equal(t, tc.want, p["published_at"], tc.in)
			assert.Equal(t, tc.want, b.Do(t, http.MethodGet, "/posts/"+idOf(t, p), nil).Object(t, http.StatusOK)["published_at"])
		}
	})

	t.Run("an offset on timestamp without time zone is rejected", func(t *testing.T) {
		for _, v := range []string{"2026-01-02T10:00:00Z", "2026-01-02T10:00:00+02:00", "2026-01-02T10:00:00.5-01:00"} {
			b.Send(t, http.MethodPost, "/posts", obj{"author_id": ada["id"], "title": "T", "slug": "rejected", "scheduled_for": v}).
				ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("format", "body", "scheduled_for"))
		}
	})
}

// The session's time zone changes neither kind of timestamp.
func TestTimestampsIgnoreTheSessionTimeZone(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	p := b.create(t, "/posts", obj{"author_id": ada["id"], "title": "T", "slug": "t", "status": "published",
		"scheduled_for": "2026-01-02T10:00:00", "published_at": "2026-01-02T10:00:00+02:00"})

	pool := apitest.Pool(t, pgtest.URL(t), func(cfg *pgxpool.Config) {
		cfg.ConnConfig.RuntimeParams["timezone"] = "Asia/Kathmandu" // +05:45
	})
	var tz string
	require.NoError(t, pool.QueryRow(context.Background(), "SHOW timezone").Scan(&tz))
	require.Equal(t, "Asia/Kathmandu", tz)
	other := serve(t, pool)

	got := other.Do(t, http.MethodGet, "/posts/"+idOf(t, p), nil).Object(t, http.StatusOK)
	assert.Equal(t, "2026-01-02T10:00:00", got["scheduled_for"])
	assert.Equal(t, "2026-01-02T08:00:00Z", got["published_at"])

	q := other.create(t, "/posts", obj{"author_id": ada["id"], "title": "T", "slug": "u", "scheduled_for": "2026-07-01T00:30:00"})
	assert.Equal(t, "2026-07-01T00:30:00", q["scheduled_for"])
	assert.Equal(t, "2026-07-01T00:30:00", b.Do(t, http.MethodGet, "/posts/"+idOf(t, q), nil).Object(t, http.StatusOK)["scheduled_for"])
}

func TestJSONBRoundTrip(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	for i, tc := range []struct{ name, in string }{
		{"nested object", `{"lang": "en", "tags": ["a", "b"], "nested": {"deep": [1, 2.5, null, true]}, "unicode": "ünï ✓"}`},
		{"empty object", `{}`},
		{"array", `[1, "two", {"three": 3}]`},
		{"string", `"just a string"`},
		{"number", `42`},
		{"big exact number", `{"n": 12345678901234567890.123456789}`},
		{"escapes", `{"quote": "\"", "newline": "a\nb", "tab": "\t", "slash": "\\"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slug := "j" + string(rune('a'+i))
			body := `{"author_id": ` + idOf(t, ada) + `, "title": "T", "slug": "` + slug + `", "metadata": ` + tc.in + `}`
			do := b.Do
			if tc.in[0] != '"' {
				do = b.Send
			}
			created := do(t, http.MethodPost, "/posts", body).Object(t, http.StatusCreated)
			want := jsonOf(t, tc.in)
			assert.Equal(t, want, created["metadata"])
			path := "/posts/" + idOf(t, created)
			assert.Equal(t, want, b.Do(t, http.MethodGet, path, nil).Object(t, http.StatusOK)["metadata"])
			patched := b.Do(t, http.MethodPatch, path, `{"metadata": `+tc.in+`}`).Object(t, http.StatusOK)
			assert.Equal(t, want, patched["metadata"])
		})
	}
}

func TestTextArrayRoundTrip(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	for i, keywords := range [][]string{
		{},
		{"go"},
		{"go", "sql", "go"},
		{"with space", "comma,inside", `quote"s`, `back\slash`, "{braces}", "ünïcode", "", "NULL", "null"},
	} {
		p := b.create(t, "/posts", obj{"author_id": ada["id"], "title": "T", "slug": "k" + string(rune('a'+i)), "keywords": keywords})
		want := make([]any, len(keywords))
		for j, k := range keywords {
			want[j] = k
		}
		assert.Equal(t, want, p["keywords"])
		assert.Equal(t, want, b.Do(t, http.MethodGet, "/posts/"+idOf(t, p), nil).Object(t, http.StatusOK)["keywords"])
	}
}

func TestUUIDs(t *testing.T) {
	b := newBlog(t)
	a := b.author(t, "a@example.com")
	c := b.author(t, "c@example.com")
	assert.Regexp(t, uuidPattern, a["public_id"])
	assert.Regexp(t, `^.{14}4`, a["public_id"], "gen_random_uuid makes version 4 UUIDs")
	assert.NotEqual(t, a["public_id"], c["public_id"])

	given := b.create(t, "/authors", obj{"email": "g@example.com", "name": "G", "public_id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"})
	assert.Equal(t, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", given["public_id"])
	upper := b.create(t, "/authors", obj{"email": "u@example.com", "name": "U", "public_id": "B0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"})
	assert.Equal(t, "b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", upper["public_id"], "UUIDs come back in canonical lower case")

	patched := b.Do(t, http.MethodPatch, "/authors/"+idOf(t, a), obj{"public_id": "c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}).Object(t, http.StatusOK)
	assert.Equal(t, "c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", patched["public_id"])
}

func TestDates(t *testing.T) {
	b := newBlog(t)
	for i, d := range []string{"1990-05-17", "1815-12-10", "2000-02-29", "0001-01-01", "9999-12-31"} {
		a := b.create(t, "/authors", obj{"email": string(rune('a'+i)) + "@example.com", "name": "A", "born_on": d})
		assert.Equal(t, d, a["born_on"])
		assert.Equal(t, d, b.Do(t, http.MethodGet, "/authors/"+idOf(t, a), nil).Object(t, http.StatusOK)["born_on"])
	}
	a := b.create(t, "/authors", obj{"email": "none@example.com", "name": "A"})
	assert.Contains(t, a, "born_on")
	assert.Nil(t, a["born_on"])
}

// jsonOf decodes s as the client decodes response bodies.
func jsonOf(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, apitest.NewNumberDecoder([]byte(s)).Decode(&v))
	return v
}

// Escapes in keys and strings are read as JSON defines them.
func TestJSONEscapes(t *testing.T) {
	b := newBlog(t)
	assert.Equal(t, obj{"name": "x"}, b.Do(t, http.MethodPost, "/tags", `{"n\u0061me": "x"}`).Object(t, http.StatusCreated))
	assert.Equal(t, obj{"name": "😀 é \"q\" \\ /"}, b.Do(t, http.MethodPost, "/tags", `{"name": "\ud83d\ude00 \u00e9 \"q\" \\ \/"}`).Object(t, http.StatusCreated))
	b.Send(t, http.MethodPost, "/tags", `{"name": "\ud83d"}`).Problem(t, http.StatusBadRequest)
}

// Deleting an author deletes what hangs off it (ON DELETE CASCADE).
func TestDeleteCascades(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	bob := b.author(t, "bob@example.com")
	post := b.post(t, ada, "hello")
	kept := b.post(t, bob, "kept")
	b.create(t, "/tags", obj{"name": "go"})
	b.create(t, "/post_tags", obj{"post_id": post["id"], "tag": "go"})
	b.create(t, "/comments", obj{"post_id": post["id"], "author_name": "Bob", "body": "Hi"})
	b.create(t, "/page_views", obj{"post_id": post["id"]})

	require.Equal(t, http.StatusNoContent, b.Do(t, http.MethodDelete, "/authors/"+idOf(t, ada), nil).Status)
	assert.Equal(t, []any{kept}, b.Do(t, http.MethodGet, "/posts", nil).Items(t))
	for _, path := range []string{"/post_tags", "/comments", "/page_views"} {
		assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, path, nil).Raw), path)
	}
	assert.Equal(t, []any{obj{"name": "go"}}, b.Do(t, http.MethodGet, "/tags", nil).Items(t))
	// Now unreferenced, the tag can go.
	assert.Equal(t, http.StatusNoContent, b.Do(t, http.MethodDelete, "/tags/go", nil).Status)
}
