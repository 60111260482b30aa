package blog_test

// Lists against the same queries written by hand with pgx, in the same
// run: a page of 50 rows with two filters and a sort, and paging through
// 10,000 rows. The hand-written side runs the SQL the API sends, scans
// into a struct and encodes with encoding/json, as a careful engineer
// would without crudgen.
//
//	go test -run '^$' -bench List -benchmem ./examples/blog/

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

const seedBench = `
INSERT INTO authors (email, name) SELECT 'a' || g || '@example.com', 'Author ' || g FROM generate_series(1, 50) g;
INSERT INTO posts (author_id, title, slug, body, status, rating, keywords, published_at)
SELECT 1 + g % 50, 'Post number ' || g, 'post-' || g, repeat('Body text. ', 20),
    CASE WHEN g % 4 = 0 THEN 'draft' ELSE 'published' END::post_status, (g % 500) / 100.0, ARRAY['go', 'sql'],
    CASE WHEN g % 4 = 0 THEN NULL ELSE '2026-01-01'::timestamptz + g * interval '1 minute' END
FROM generate_series(1, 10000) g;
ANALYZE posts;
`

// handPost is the row a hand-written handler would scan.
type handPost struct {
	ID           int64            `json:"id"`
	AuthorID     int64            `json:"author_id"`
	Title        string           `json:"title"`
	Slug         string           `json:"slug"`
	Body         string           `json:"body"`
	Status       string           `json:"status"`
	Rating       *runtime.Decimal `json:"rating"`
	Keywords     []string         `json:"keywords"`
	Metadata     json.RawMessage  `json:"metadata"`
	ScheduledFor *time.Time       `json:"scheduled_for"`
	TitleLength  *int32           `json:"title_length"`
	PublishedAt  *time.Time       `json:"published_at"`
	CreatedAt    time.Time        `json:"created_at"`
}

const handColumns = `id, author_id, title, slug, body, status::text, rating, keywords, metadata, scheduled_for, title_length, published_at, created_at`

// handList runs sql and writes the rows as the API's page shape would.
func handList(ctx context.Context, pool *pgxpool.Pool, w *bytes.Buffer, sql string, args ...any) ([]handPost, error) {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handPost, error) {
		var p handPost
		err := r.Scan(&p.ID, &p.AuthorID, &p.Title, &p.Slug, &p.Body, &p.Status, &p.Rating, &p.Keywords,
			&p.Metadata, &p.ScheduledFor, &p.TitleLength, &p.PublishedAt, &p.CreatedAt)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	w.Reset()
	return items, json.NewEncoder(w).Encode(map[string]any{"items": items})
}

func benchSetup(b *testing.B) (*pgxpool.Pool, http.Handler) {
	b.Helper()
	dbURL := pgtest.Fresh(b)
	pool := apitest.Pool(b, dbURL) // the hand-written handlers scan runtime.Decimal too
	require.NoError(b, loadSchema(context.Background(), dbURL))
	_, err := pool.Exec(context.Background(), seedBench)
	require.NoError(b, err)
	apiPool := apitest.Pool(b, dbURL)
	return pool, api.NewRouter(apiPool, api.Options{})
}

func serveOK(b *testing.B, h http.Handler, path string) []byte {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// BenchmarkList50: status=published&author_id[lte]=25&sort=-published_at,
// 50 rows.
func BenchmarkList50(b *testing.B) {
	pool, h := benchSetup(b)
	ctx := context.Background()
	b.Run("crudgen", func(b *testing.B) {
		for b.Loop() {
			serveOK(b, h, "/posts?status=published&author_id[lte]=25&sort=-published_at&limit=50")
		}
	})
	b.Run("pgx", func(b *testing.B) {
		var w bytes.Buffer
		sql := "SELECT " + handColumns + " FROM posts WHERE status = $1 AND author_id <= $2 ORDER BY published_at DESC, id LIMIT $3"
		for b.Loop() {
			if _, err := handList(ctx, pool, &w, sql, "published", 25, 51); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListPageThrough10000: every row of posts, 1000 per page.
func BenchmarkListPageThrough10000(b *testing.B) {
	pool, h := benchSetup(b)
	ctx := context.Background()
	b.Run("crudgen", func(b *testing.B) {
		for b.Loop() {
			n, next := 0, ""
			for {
				path := "/posts?limit=1000"
				if next != "" {
					path += "&cursor=" + next
				}
				var page struct {
					Items []json.RawMessage `json:"items"`
					Next  string            `json:"next_cursor"`
				}
				if err := json.Unmarshal(serveOK(b, h, path), &page); err != nil {
					b.Fatal(err)
				}
				n += len(page.Items)
				if next = page.Next; next == "" {
					break
				}
			}
			if n != 10000 {
				b.Fatalf("%d rows", n)
			}
		}
	})
	b.Run("pgx", func(b *testing.B) {
		var w bytes.Buffer
		sql := "SELECT " + handColumns + " FROM posts WHERE id > $1 ORDER BY id LIMIT $2"
		for b.Loop() {
			n, after := 0, int64(0)
			for {
				items, err := handList(ctx, pool, &w, sql, after, 1001)
				if err != nil {
					b.Fatal(err)
				}
				more := len(items) > 1000
				if more {
					items = items[:1000]
				}
				n += len(items)
				// The client reads the page, as the API's client does.
				var page struct {
					Items []json.RawMessage `json:"items"`
				}
				if err := json.Unmarshal(w.Bytes(), &page); err != nil {
					b.Fatal(err)
				}
				if !more {
					break
				}
				after = items[len(items)-1].ID
			}
			if n != 10000 {
				b.Fatal(fmt.Sprint(n, " rows"))
			}
		}
	})
}
