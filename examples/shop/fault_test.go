package shop_test

// Bulk creates and upserts under concurrency and faults: batches with
// overlapping keys sent at once each write all their rows or none, and a
// batch whose connection is cut or whose backend is terminated while it
// runs is answered as of unknown outcome and is then in the table whole or
// not at all. Every answer is checked against the tables, read back
// directly.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/shop/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// together sends the requests at once, each from its own goroutine, and
// returns the exchanges in the order of the requests.
func together(rec *apitest.Recorder, reqs []func() apitest.Exchange) []apitest.Exchange {
	xs := make([]apitest.Exchange, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, send := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			xs[i] = send()
		}()
	}
	close(start)
	wg.Wait()
	return xs
}

// TestConcurrentBulkCreates: twelve bulk creates of four customers each,
// sent at once, whose emails overlap (some batches in reverse order, which
// can deadlock). Each is a 201, a 409 or a 503 (a deadlock), and the table
// holds exactly the rows the 201s returned: no batch wrote part of itself.
func TestConcurrentBulkCreates(t *testing.T) {
	s := newShop(t)
	rec := apitest.NewRecorder(s.Base)
	const batches, size, emails = 12, 4, 16
	var reqs []func() apitest.Exchange
	for b := range batches {
		var rows []any
		for i := range size {
			e := (b*3 + i*5) % emails // overlaps with other batches
			if b%2 == 1 {
				e = (b*3 + (size-1-i)*5) % emails
			}
			rows = append(rows, obj{"email": fmt.Sprintf("c%02d@example.com", e), "full_name": fmt.Sprintf("Batch %d", b)})
		}
		reqs = append(reqs, func() apitest.Exchange {
			return rec.Send(http.MethodPost, "/customers", rows, "", b)
		})
	}
	xs := together(rec, reqs)
	apitest.CheckAnswers(t, xs, false, http.StatusConflict)

	type customer struct {
		ID       int64  `json:"id"`
		Email    string `json:"email"`
		FullName string `json:"full_name"`
	}
	want := map[int64]customer{}
	created := 0
	for i := range xs {
		x := &xs[i]
		require.Contains(t, []int{http.StatusCreated, http.StatusConflict, http.StatusServiceUnavailable}, x.Status, "%s", x)
		if x.Status == http.StatusServiceUnavailable {
			assert.Equal(t, "about:blank", x.Type, "a deadlock is an error the server reported: nothing written")
		}
		if x.Status != http.StatusCreated {
			continue
		}
		created++
		var rows []customer
		require.NoError(t, json.Unmarshal(x.Body, &rows))
		require.Len(t, rows, size)
		for _, r := range rows {
			assert.Equal(t, fmt.Sprintf("Batch %d", x.Phase), r.FullName)
			want[r.ID] = r
		}
	}
	rows, err := s.pool.Query(context.Background(), `SELECT id, email::text, full_name FROM customers`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (customer, error) {
		var c customer
		err := row.Scan(&c.ID, &c.Email, &c.FullName)
		return c, err
	})
	require.NoError(t, err)
	have := map[int64]customer{}
	for _, c := range got {
		have[c.ID] = c
	}
	assert.Equal(t, want, have, "the table holds the rows of the batches created, and only those")
	assert.Positive(t, created)
	t.Logf("%d concurrent bulk creates of %d rows with overlapping emails: by status %v; %d rows in the table, all from the %d batches created",
		batches, size, apitest.Statuses(xs), len(have), created)
}

// TestConcurrentUpserts: ten bulk upserts of the stock of overlapping
// products, sent at once, batch b setting every quantity it carries to b.
// Each is a 201 or a 503 (a deadlock); every product's quantity is that of
// an upsert that succeeded and carried it, so no failed batch left a row
// behind.
func TestConcurrentUpserts(t *testing.T) {
	s := newShop(t)
	sup := s.supplier(t, "Acme")
	var products []any
	for i := range 6 {
		products = append(products, s.product(t, sup, fmt.Sprintf("SKU-%d", i), "1.00", 0)["id"])
	}
	_, err := s.pool.Exec(context.Background(), `DELETE FROM inventory`)
	require.NoError(t, err)

	rec := apitest.NewRecorder(s.Base)
	carries := map[int][]int{} // batch → product indexes
	var reqs []func() apitest.Exchange
	for b := 1; b <= 10; b++ {
		var rows []any
		for i := range 3 {
			p := (b + i*2) % len(products)
			if b%2 == 0 {
				p = (b + (2-i)*2) % len(products)
			}
			carries[b] = append(carries[b], p)
			rows = append(rows, obj{"product_id": products[p], "quantity": b})
		}
		reqs = append(reqs, func() apitest.Exchange {
			return rec.Send(http.MethodPost, "/inventories", rows, "", b, "Prefer", "resolution=merge-duplicates")
		})
	}
	xs := together(rec, reqs)
	apitest.CheckAnswers(t, xs, false)
	succeeded := map[int]bool{}
	for i := range xs {
		x := &xs[i]
		require.Contains(t, []int{http.StatusCreated, http.StatusServiceUnavailable}, x.Status, "%s", x)
		succeeded[x.Phase] = x.Status == http.StatusCreated
	}
	for p, id := range products {
		var quantity int
		err := s.pool.QueryRow(context.Background(), `SELECT quantity FROM inventory WHERE product_id = $1`, id).Scan(&quantity)
		var could []int // the batches that succeeded and carried p
		for b, ps := range carries {
			for _, q := range ps {
				if q == p && succeeded[b] {
					could = append(could, b)
				}
			}
		}
		if len(could) == 0 {
			assert.ErrorIs(t, err, pgx.ErrNoRows, "product %d: no upsert of it succeeded", p)
			continue
		}
		require.NoError(t, err)
		assert.Contains(t, could, quantity, "product %d: the quantity of an upsert that succeeded", p)
	}
	t.Logf("10 concurrent bulk upserts of 3 rows on 6 products: by status %v", apitest.Statuses(xs))
}

// TestFaultBulkWrites: a bulk create of fifty customers and a bulk upsert
// of stock wait for a lock when their connection is cut or their backend
// terminated. Both are 503s of unknown outcome; a cut batch runs once the
// lock is free and is then in the table whole, a terminated one is not
// there at all. The pool has one connection, on which the same request
// before each case left the statement prepared.
func TestFaultBulkWrites(t *testing.T) {
	s := newShop(t)
	sup := s.supplier(t, "Acme")
	var products []any
	for i := range 8 {
		products = append(products, s.product(t, sup, fmt.Sprintf("SKU-%d", i), "1.00", 0)["id"])
	}
	const app = "shop-fault-api"
	dbURL := pgtest.URL(t)
	cfg, err := pgx.ParseConfig(dbURL)
	require.NoError(t, err)
	proxy := pgtest.Proxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	pool := apitest.Pool(t, proxy.URL(dbURL), func(c *pgxpool.Config) {
		c.MaxConns = 1
		c.ConnConfig.RuntimeParams["application_name"] = app
	})
	srv := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	rec := apitest.NewRecorder(srv.URL)

	customers := func(prefix string) []any {
		var rows []any
		for i := range 50 {
			rows = append(rows, obj{"email": fmt.Sprintf("%s-%02d@example.com", prefix, i), "full_name": prefix})
		}
		return rows
	}
	stock := func(quantity int) []any {
		var rows []any
		for _, id := range products {
			rows = append(rows, obj{"product_id": id, "quantity": quantity})
		}
		return rows
	}
	merge := []string{"Prefer", "resolution=merge-duplicates"}
	n := 0
	for _, fault := range []string{"cut", "terminate"} {
		for _, tc := range []struct {
			name, table string
			body        func(n int) any
			header      []string
			// written counts the rows of the request found in the table.
			written func(n int) int
		}{
			{
				name: "bulk create", table: "customers",
				body: func(n int) any { return customers(fmt.Sprintf("n%d", n)) },
				written: func(n int) int {
					return s.count(t, fmt.Sprintf("customers WHERE full_name = 'n%d'", n))
				},
			},
			{
				name: "bulk upsert", table: "inventory", header: merge,
				body: func(n int) any { return stock(n) },
				written: func(n int) int {
					return s.count(t, fmt.Sprintf("inventory WHERE quantity = %d", n))
				},
			},
		} {
			t.Run(fault+" "+tc.name, func(t *testing.T) {
				n++
				path := "/" + map[string]string{"customers": "customers", "inventory": "inventories"}[tc.table]
				warm := rec.Send(http.MethodPost, path, tc.body(1000+n), "", 0, tc.header...)
				require.Less(t, warm.Status, 300, "%s", &warm)

				release := apitest.LockTable(t, s.pool, tc.table)
				answer := make(chan apitest.Exchange, 1)
				go func() { answer <- rec.Send(http.MethodPost, path, tc.body(n), "", 0, tc.header...) }()
				pid := apitest.Waiter(t, s.pool, app)
				if fault == "cut" {
					proxy.Cut()
				} else {
					apitest.Terminate(t, s.pool, pid)
				}
				x := <-answer
				release()
				proxy.Restore()

				apitest.CheckAnswers(t, []apitest.Exchange{x}, false)
				require.Equal(t, http.StatusServiceUnavailable, x.Status, "%s", &x)
				assert.Equal(t, runtime.TypeOutcomeUnknown, x.Type)
				want := 0
				if fault == "cut" {
					want = len(tc.body(n).([]any))
				}
				assert.Equal(t, want, tc.written(n), "the batch is whole or absent")
				again := rec.Send(http.MethodPost, path, tc.body(2000+n), "", 0, tc.header...)
				assert.Less(t, again.Status, 300, "the API recovers: %s", &again)
			})
		}
	}
}
