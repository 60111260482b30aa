package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Coalescer reads rows by key, joining the reads that wait at the same
// time into one statement. While Limit reads are in flight, further keys
// gather in the next batch, which starts, with one statement for all of
// them, as soon as a read in flight ends. Under load, a request costs a
// share of a round trip instead of a whole one; a lone read runs at once
// on its caller's goroutine, so light load pays nothing. A read never
// joins a statement already sent, so it sees every write committed
// before it began.
//
// The generated handlers read rows by single-column keys of integer, text
// and uuid types through one; a store outside them, or with a scope, does
// not.
type Coalescer[K comparable, R any] struct {
	// One reads the row with key k, as a plain read would.
	One func(ctx context.Context, k K) (R, error)
	// Many reads the rows with the keys ks, in any order, leaving out those
	// that do not exist.
	Many func(ctx context.Context, ks []K) ([]R, error)
	// Key returns the key of a row Many read.
	Key func(*R) K
	// NotFound is the error of a key Many did not return.
	NotFound error
	// Limit bounds the reads in flight; 0 means 1.
	Limit int

	mu       sync.Mutex
	inflight int
	next     *keyBatch[K, R]
}

// keyBatch is a batch of keys gathering, then being read.
type keyBatch[K comparable, R any] struct {
	keys    []K
	waiting int // callers still waiting; the read is cancelled when none is
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	// Set before done is closed.
	rows  []R
	index map[K]int // of rows, for large batches
	err   error
}

// indexFrom is the batch size from which rows are found through a map.
const indexFrom = 16

// Get returns the row with key k. A caller whose ctx ends while its key
// waits in a batch returns at once; the batch goes on for the others, and
// is cancelled when every caller has left.
func (c *Coalescer[K, R]) Get(ctx context.Context, k K) (R, error) {
	var zero R
	c.mu.Lock()
	if c.inflight < max(c.Limit, 1) {
		c.inflight++
		c.mu.Unlock()
		r, err := c.One(ctx, k)
		c.release()
		return r, err
	}
	b := c.next
	if b == nil {
		b = &keyBatch[K, R]{done: make(chan struct{})}
		// #nosec G118 -- the batch outlives the caller that starts it: run cancels it when the read ends, and so does the last caller to leave
		b.ctx, b.cancel = context.WithCancel(context.Background())
		c.next = b
	}
	b.keys = append(b.keys, k)
	b.waiting++
	c.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		c.mu.Lock()
		b.waiting--
		if b.waiting == 0 {
			b.cancel()
		}
		c.mu.Unlock()
		return zero, ctx.Err()
	}
	if b.err != nil {
		return zero, b.err
	}
	if b.index != nil {
		if i, ok := b.index[k]; ok {
			return b.rows[i], nil
		}
		return zero, c.NotFound
	}
	for i := range b.rows {
		if c.Key(&b.rows[i]) == k {
			return b.rows[i], nil
		}
	}
	return zero, c.NotFound
}

// release ends a read in flight: the batch gathering, if any, takes its
// place.
func (c *Coalescer[K, R]) release() {
	c.mu.Lock()
	b := c.next
	c.next = nil
	if b == nil {
		c.inflight--
	}
	c.mu.Unlock()
	if b != nil {
		go c.run(b)
	}
}

// run reads a batch for its callers, then hands its place on.
func (c *Coalescer[K, R]) run(b *keyBatch[K, R]) {
	defer c.release()
	defer b.cancel()
	defer close(b.done)
	// A panic here has no handler to answer it: it fails the batch.
	defer func() {
		if p := recover(); p != nil {
			b.rows, b.index = nil, nil
			b.err = fmt.Errorf("runtime: reading %d rows by key: panic: %v", len(b.keys), p)
		}
	}()
	if len(b.keys) == 1 {
		r, err := c.One(b.ctx, b.keys[0])
		if err != nil {
			if errors.Is(err, c.NotFound) {
				return // no rows: each caller finds none
			}
			b.err = err
			return
		}
		b.rows = []R{r}
		return
	}
	b.rows, b.err = c.Many(b.ctx, b.keys)
	if b.err == nil && len(b.rows) >= indexFrom {
		b.index = make(map[K]int, len(b.rows))
		for i := range b.rows {
			b.index[c.Key(&b.rows[i])] = i
		}
	}
}
