package blog_test

// Optimistic concurrency: every answer with one row carries the row's
// ETag, and If-Match makes PUT, PATCH and DELETE happen only while the row
// is as the client read it (412 otherwise), checked under a row lock.

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/server"
)

// etagOf returns the response's ETag, checking that it is the strong tag
// of exactly the body sent.
func etagOf(t *testing.T, r *apitest.Response) string {
	t.Helper()
	tags := r.Header.Values("ETag")
	require.Len(t, tags, 1, "%s %s: one ETag", r.Method, r.Path)
	assert.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, tags[0])
	assert.Equal(t, runtime.ETag(r.Raw), tags[0], "%s %s: the tag of the body", r.Method, r.Path)
	return tags[0]
}

func ifMatch(tag string) apitest.Option { return apitest.WithHeader("If-Match", tag) }

// storedTitle reads a post's title behind the API's back.
func (b *blog) storedTitle(t *testing.T, id string) string {
	t.Helper()
	var title string
	require.NoError(t, b.pool.QueryRow(context.Background(), "SELECT title FROM posts WHERE id = $1", id).Scan(&title))
	return title
}

func TestETags(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")

	created := b.Do(t, http.MethodPost, "/posts", obj{"author_id": ada["id"], "title": "First", "slug": "first"})
	created.Object(t, http.StatusCreated)
	tag := etagOf(t, created)
	path := created.Header.Get("Location")

	got := b.Do(t, http.MethodGet, path, nil)
	got.Object(t, http.StatusOK)
	assert.Equal(t, tag, etagOf(t, got), "a row read back has the tag it was created with")
	assert.Equal(t, tag, etagOf(t, b.Do(t, http.MethodGet, path, nil)), "the same row, the same tag")

	patched := b.Do(t, http.MethodPatch, path, obj{"title": "Second"})
	patched.Object(t, http.StatusOK)
	assert.NotEqual(t, tag, etagOf(t, patched))
	assert.Equal(t, etagOf(t, patched), etagOf(t, b.Do(t, http.MethodGet, path, nil)))

	replaced := b.Do(t, http.MethodPut, path, obj{"author_id": ada["id"], "title": "Third", "slug": "first"})
	replaced.Object(t, http.StatusOK)
	assert.NotEqual(t, etagOf(t, patched), etagOf(t, replaced))
	assert.Equal(t, etagOf(t, replaced), etagOf(t, b.Do(t, http.MethodGet, path, nil)))

	// Pages and bulk creates are not a row: no tag from the API.
	assert.Empty(t, b.Do(t, http.MethodGet, "/posts", nil).Header.Get("ETag"))
	bulk := b.Do(t, http.MethodPost, "/tags", []obj{{"name": "go"}, {"name": "sql"}})
	assert.Equal(t, http.StatusCreated, bulk.Status)
	assert.Empty(t, bulk.Header.Get("ETag"))
	// An upsert that updates answers with the row and its tag.
	upserted := b.Do(t, http.MethodPost, "/tags", obj{"name": "go"}, apitest.WithHeader("Prefer", "resolution=merge-duplicates"))
	upserted.Object(t, http.StatusOK)
	assert.Equal(t, etagOf(t, upserted), etagOf(t, b.Do(t, http.MethodGet, "/tags/go", nil)))
}

func TestIfMatch(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	post := b.post(t, ada, "first")
	path := "/posts/" + idOf(t, post)
	read := etagOf(t, b.Do(t, http.MethodGet, path, nil))

	// The tag of the row as read: the write happens, with a new tag.
	patched := b.Do(t, http.MethodPatch, path, obj{"title": "Edited"}, ifMatch(read))
	assert.Equal(t, "Edited", patched.Object(t, http.StatusOK)["title"])
	current := etagOf(t, patched)
	require.NotEqual(t, read, current)

	// The tag before that write is stale: 412, and the row stays.
	unchanged := func() {
		t.Helper()
		assert.Equal(t, "Edited", b.storedTitle(t, idOf(t, post)))
		assert.Equal(t, current, etagOf(t, b.Do(t, http.MethodGet, path, nil)))
	}
	p := b.Do(t, http.MethodPatch, path, obj{"title": "Lost"}, ifMatch(read)).Problem(t, http.StatusPreconditionFailed)
	assert.Equal(t, "Precondition Failed", p.Title)
	assert.Equal(t, path, p.Instance)
	unchanged()
	b.Do(t, http.MethodPut, path, obj{"author_id": ada["id"], "title": "Lost", "slug": "first"}, ifMatch(read)).
		Problem(t, http.StatusPreconditionFailed)
	unchanged()
	b.Do(t, http.MethodDelete, path, nil, ifMatch(read)).Problem(t, http.StatusPreconditionFailed)
	unchanged()
	// A tag that was never issued, a weak one (If-Match compares strongly)
	// and an unquoted one match nothing either.
	for _, tag := range []string{`"nonsense"`, "W/" + current, strings.Trim(current, `"`)} {
		b.Do(t, http.MethodPatch, path, obj{"title": "Lost"}, ifMatch(tag)).Problem(t, http.StatusPreconditionFailed)
	}
	unchanged()

	// A list matches when one of its tags does; so does *.
	listed := b.Do(t, http.MethodPut, path, obj{"author_id": ada["id"], "title": "Replaced", "slug": "first"},
		ifMatch(read+", "+current))
	assert.Equal(t, "Replaced", listed.Object(t, http.StatusOK)["title"])
	anyRow := b.Do(t, http.MethodPatch, path, obj{"title": "Any"}, ifMatch("*"))
	assert.Equal(t, "Any", anyRow.Object(t, http.StatusOK)["title"])

	// A request that fails without If-Match fails alike with it.
	b.Send(t, http.MethodPatch, path, obj{"title": strings.Repeat("x", 201)}, ifMatch(etagOf(t, anyRow))).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("max_length", "body", "title"))

	// DELETE with the current tag; then the row is missing, which is a 404
	// whatever If-Match says (RFC 9110 13.2.1).
	require.Equal(t, http.StatusNoContent, b.Do(t, http.MethodDelete, path, nil, ifMatch(etagOf(t, anyRow))).Status)
	for _, tag := range []string{etagOf(t, anyRow), "*"} {
		b.Do(t, http.MethodPatch, path, obj{"title": "Gone"}, ifMatch(tag)).Problem(t, http.StatusNotFound)
		b.Do(t, http.MethodPut, path, obj{"author_id": ada["id"], "title": "Gone", "slug": "first"}, ifMatch(tag)).
			Problem(t, http.StatusNotFound)
		b.Do(t, http.MethodDelete, path, nil, ifMatch(tag)).Problem(t, http.StatusNotFound)
	}

	// Composite keys too.
	b.create(t, "/tags", obj{"name": "go"})
	link := b.Do(t, http.MethodPost, "/post_tags", obj{"post_id": b.post(t, ada, "second")["id"], "tag": "go"})
	link.Object(t, http.StatusCreated)
	linkPath := link.Header.Get("Location")
	b.Do(t, http.MethodDelete, linkPath, nil, ifMatch(`"stale"`)).Problem(t, http.StatusPreconditionFailed)
	require.Equal(t, http.StatusNoContent, b.Do(t, http.MethodDelete, linkPath, nil, ifMatch(etagOf(t, link))).Status)
}

// The row is checked and written under a lock: a write that commits while
// a conditional PATCH waits for the row makes that PATCH's tag stale,
// where reading the row without a lock would lose the other write.
func TestIfMatchWaitsForTheRow(t *testing.T) {
	b := newBlog(t)
	post := b.post(t, b.author(t, "ada@example.com"), "first")
	id := idOf(t, post)
	read := etagOf(t, b.Do(t, http.MethodGet, "/posts/"+id, nil))

	ctx := context.Background()
	tx, err := b.pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "UPDATE posts SET title = 'Written meanwhile' WHERE id = $1", id)
	require.NoError(t, err)

	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPatch, b.Base+"/posts/"+id, strings.NewReader(`{"title":"Lost"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-Match", read)
		res, err := b.HTTP.Do(req)
		if err != nil {
			status <- 0
			return
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		status <- res.StatusCode
	}()
	// The PATCH waits for the row the transaction holds.
	require.Eventually(t, func() bool {
		var waiting int
		err := b.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE'`).Scan(&waiting)
		return err == nil && waiting == 1
	}, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, tx.Commit(ctx))

	assert.Equal(t, http.StatusPreconditionFailed, <-status)
	assert.Equal(t, "Written meanwhile", b.storedTitle(t, id))
}

// Writers that read the same row and write it back at once: exactly one
// wins, the others learn that the row changed.
func TestConcurrentIfMatch(t *testing.T) {
	b := newBlog(t)
	post := b.post(t, b.author(t, "ada@example.com"), "first")
	id := idOf(t, post)
	read := etagOf(t, b.Do(t, http.MethodGet, "/posts/"+id, nil))

	const writers = 8
	statuses := make([]int, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPatch, b.Base+"/posts/"+id, strings.NewReader(`{"title":"Writer `+strconv.Itoa(i)+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("If-Match", read)
			<-start
			res, err := b.HTTP.Do(req)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			assert.Equal(t, -1, winner, "one writer wins: %v", statuses)
			winner = i
		default:
			assert.Equal(t, http.StatusPreconditionFailed, s, "the others: %v", statuses)
		}
	}
	require.NotEqual(t, -1, winner, "one writer wins: %v", statuses)
	assert.Equal(t, "Writer "+strconv.Itoa(winner), b.storedTitle(t, id))
}

// Behind runtime/server, whose middleware tags GET answers too, a row has
// one ETag, the API's, and If-None-Match with it is a 304.
func TestETagBehindServer(t *testing.T) {
	b := newBlog(t)
	post := b.post(t, b.author(t, "ada@example.com"), "first")
	path := "/posts/" + idOf(t, post)
	direct := etagOf(t, b.Do(t, http.MethodGet, path, nil))

	logger := slog.New(slog.DiscardHandler)
	h, err := server.Wrap(api.NewRouter(b.pool, api.Options{Logger: logger}), b.pool, server.Config{Logger: logger})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := &client{&apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}}

	served := c.Do(t, http.MethodGet, path, nil)
	served.Object(t, http.StatusOK)
	assert.Equal(t, direct, etagOf(t, served))
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("If-None-Match", direct)
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusNotModified, res.StatusCode)
	assert.Equal(t, direct, res.Header.Get("ETag"))
	patched := c.Do(t, http.MethodPatch, path, obj{"title": "Edited"}, ifMatch(direct))
	patched.Object(t, http.StatusOK)
	assert.Equal(t, etagOf(t, patched), etagOf(t, c.Do(t, http.MethodGet, path, nil)))
}
