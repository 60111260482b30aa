package runtime

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type coalRow struct {
	ID   int
	Name string
}

// coalDB is a table of rows 1..100 behind a Coalescer: it records each
// statement's keys, and One can be held to keep a read in flight.
type coalDB struct {
	mu      sync.Mutex
	ones    []int
	manys   [][]int
	hold    chan struct{} // when set, One waits on it
	started chan int      // when set, One reports its key before waiting
	manyErr error
	manyCtx []error // each Many's context's error when it began
}

func (db *coalDB) coalescer(limit int) *Coalescer[int, coalRow] {
	return &Coalescer[int, coalRow]{
		One: func(ctx context.Context, k int) (coalRow, error) {
			db.mu.Lock()
			db.ones = append(db.ones, k)
			hold, started := db.hold, db.started
			db.mu.Unlock()
			if started != nil {
				started <- k
			}
			if hold != nil {
				<-hold
			}
			if k < 1 || k > 100 {
				return coalRow{}, ErrNotFound
			}
			return coalRow{ID: k, Name: "row"}, nil
		},
		Many: func(ctx context.Context, ks []int) ([]coalRow, error) {
			db.mu.Lock()
			db.manys = append(db.manys, slices.Clone(ks))
			db.manyCtx = append(db.manyCtx, ctx.Err())
			err := db.manyErr
			db.mu.Unlock()
			if err != nil {
				return nil, err
			}
			var rows []coalRow
			for _, k := range ks {
				if k >= 1 && k <= 100 && !slices.ContainsFunc(rows, func(r coalRow) bool { return r.ID == k }) {
					rows = append(rows, coalRow{ID: k, Name: "row"})
				}
			}
			slices.Reverse(rows) // any order
			return rows, nil
		},
		Key:      func(r *coalRow) int { return r.ID },
		NotFound: ErrNotFound,
		Limit:    limit,
	}
}

// gather starts a read of key 1 that stays in flight, then reads keys
// concurrently; it releases the first read once all of them wait, and
// returns what each read got.
func gather(t *testing.T, db *coalDB, c *Coalescer[int, coalRow], keys []int) ([]coalRow, []error) {
	t.Helper()
	db.hold, db.started = make(chan struct{}), make(chan int, 1)
	first := make(chan error)
	go func() {
		_, err := c.Get(context.Background(), 1)
		first <- err
	}()
	<-db.started
	db.mu.Lock()
	db.started = nil
	db.mu.Unlock()
	rows := make([]coalRow, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() { rows[i], errs[i] = c.Get(context.Background(), k) })
	}
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.next != nil && c.next.waiting == len(keys)
	})
	db.mu.Lock()
	close(db.hold)
	db.hold = nil
	db.mu.Unlock()
	require.NoError(t, <-first)
	wg.Wait()
	return rows, errs
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
	}
}

func TestCoalescerLoneReadsRunAlone(t *testing.T) {
	db := &coalDB{}
	c := db.coalescer(0)
	for _, k := range []int{3, 7, 500} {
		r, err := c.Get(context.Background(), k)
		if k == 500 {
			assert.ErrorIs(t, err, ErrNotFound)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, k, r.ID)
	}
	assert.Equal(t, []int{3, 7, 500}, db.ones)
	assert.Empty(t, db.manys)
}

func TestCoalescerJoinsWaitingReads(t *testing.T) {
	db := &coalDB{}
	c := db.coalescer(1)
	keys := []int{5, 9, 5, 404, 12}
	rows, errs := gather(t, db, c, keys)
	for i, k := range keys {
		if k == 404 {
			assert.ErrorIs(t, errs[i], ErrNotFound)
			continue
		}
		require.NoError(t, errs[i])
		assert.Equal(t, k, rows[i].ID)
	}
	require.Len(t, db.manys, 1, "one statement for the keys that waited")
	assert.ElementsMatch(t, keys, db.manys[0])
	assert.Equal(t, []int{1}, db.ones)
	waitFor(t, func() bool { // every slot handed back
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.inflight == 0
	})
}

func TestCoalescerLargeBatch(t *testing.T) {
	db := &coalDB{}
	c := db.coalescer(1)
	var keys []int
	for k := range 60 {
		keys = append(keys, 100-k*2) // 100, 98, ... -18: some not found
	}
	rows, errs := gather(t, db, c, keys)
	for i, k := range keys {
		if k < 1 {
			assert.ErrorIs(t, errs[i], ErrNotFound, "key %d", k)
			continue
		}
		require.NoError(t, errs[i], "key %d", k)
		assert.Equal(t, k, rows[i].ID)
	}
	require.Len(t, db.manys, 1)
}

func TestCoalescerLoneWaiterReadsAlone(t *testing.T) {
	db := &coalDB{}
	c := db.coalescer(1)
	rows, errs := gather(t, db, c, []int{42})
	require.NoError(t, errs[0])
	assert.Equal(t, 42, rows[0].ID)
	assert.Equal(t, []int{1, 42}, db.ones)
	assert.Empty(t, db.manys)
}

func TestCoalescerErrorReachesEveryWaiter(t *testing.T) {
	boom := errors.New("connection lost")
	db := &coalDB{manyErr: boom}
	c := db.coalescer(1)
	_, errs := gather(t, db, c, []int{2, 3, 4})
	for _, err := range errs {
		assert.ErrorIs(t, err, boom)
	}
}

func TestCoalescerPanicFailsTheBatch(t *testing.T) {
	db := &coalDB{}
	c := db.coalescer(1)
	c.Many = func(context.Context, []int) ([]coalRow, error) { panic("scan bug") }
	_, errs := gather(t, db, c, []int{2, 3})
	for _, err := range errs {
		assert.ErrorContains(t, err, "panic: scan bug")
	}
	// The slot came back: the next read runs.
	r, err := c.Get(context.Background(), 8)
	require.NoError(t, err)
	assert.Equal(t, 8, r.ID)
}

// TestCoalescerCallersLeave: a caller whose context ends returns at once;
// the batch still serves the others, and is cancelled once all have left.
func TestCoalescerCallersLeave(t *testing.T) {
	db := &coalDB{hold: make(chan struct{}), started: make(chan int, 1)}
	c := db.coalescer(1)
	first := make(chan error)
	go func() {
		_, err := c.Get(context.Background(), 1)
		first <- err
	}()
	<-db.started
	db.mu.Lock()
	db.started = nil
	db.mu.Unlock()

	leaving, cancel := context.WithCancel(context.Background())
	left := make(chan error)
	go func() {
		_, err := c.Get(leaving, 2)
		left <- err
	}()
	stayed := make(chan coalRow)
	go func() {
		r, _ := c.Get(context.Background(), 3)
		stayed <- r
	}()
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.next != nil && c.next.waiting == 2
	})
	cancel()
	assert.ErrorIs(t, <-left, context.Canceled)
	close(db.hold)
	require.NoError(t, <-first)
	assert.Equal(t, 3, (<-stayed).ID)
	require.Len(t, db.manyCtx, 1)
	assert.NoError(t, db.manyCtx[0], "one caller stayed: the batch was not cancelled")

	// Every caller of a batch leaves: its read is cancelled.
	db.mu.Lock()
	db.hold, db.started = make(chan struct{}), make(chan int, 1)
	db.mu.Unlock()
	go func() {
		_, err := c.Get(context.Background(), 1)
		first <- err
	}()
	<-db.started
	ctx, cancelAll := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for k := range 3 {
		wg.Go(func() {
			_, err := c.Get(ctx, 10+k)
			assert.ErrorIs(t, err, context.Canceled)
		})
	}
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.next != nil && c.next.waiting == 3
	})
	batch := c.next
	cancelAll()
	wg.Wait()
	assert.Error(t, batch.ctx.Err(), "nobody waits for the batch: its read is cancelled")
	close(db.hold)
	require.NoError(t, <-first)
}

// TestCoalescerNeverJoinsASentStatement: keys asked for while a batch is
// being read go into the next statement, not the one in flight.
func TestCoalescerNeverJoinsASentStatement(t *testing.T) {
	db := &coalDB{}
	c := db.coalescer(1)
	inMany := make(chan struct{})
	release := make(chan struct{})
	many := c.Many
	c.Many = func(ctx context.Context, ks []int) ([]coalRow, error) {
		if slices.Contains(ks, 20) {
			close(inMany)
			<-release
		}
		return many(ctx, ks)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		rows, errs := gather(t, db, c, []int{20, 21})
		assert.NoError(t, errors.Join(errs...))
		assert.Equal(t, 20, rows[0].ID)
	}()
	<-inMany
	late := make(chan coalRow)
	go func() {
		r, _ := c.Get(context.Background(), 22)
		late <- r
	}()
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.next != nil && c.next.waiting == 1
	})
	close(release)
	<-done
	assert.Equal(t, 22, (<-late).ID)
	require.Len(t, db.manys, 1)
	assert.ElementsMatch(t, []int{20, 21}, db.manys[0])
	assert.Contains(t, db.ones, 22, "the late key read on its own, after the batch")
}
