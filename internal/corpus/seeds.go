package corpus

import (
	"flag"
	"testing"
)

// Fuzz targets seed from the corpus at test time: the schemas are read
// from ../shared, cut into pieces of a few statements, and never copied
// into testdata.

// Present returns the entries of the corpus for seeding. Unlike Entries it
// does not skip: outside CI a missing corpus gives no entries, so a fuzz
// target still runs with its own seeds; with CI=true it fails tb.
func Present(tb testing.TB) []*Entry {
	tb.Helper()
	root := find(tb)
	if root == "" {
		return nil
	}
	return entries(root)
}

// Pieces cuts text into seeds of whole statements: the statements starting
// at the byte offsets starts (ascending) are grouped in order while a group
// stays within max bytes. Text before the first statement goes with it. A
// statement longer than max is left out, so seeds stay small.
func Pieces(text string, starts []int, max int) []string {
	var out []string
	bounds := append([]int{}, starts...)
	if len(bounds) == 0 || bounds[0] > 0 {
		bounds = append([]int{0}, bounds...)
	}
	bounds = append(bounds, len(text))
	from := bounds[0]
	for i := 1; i < len(bounds); i++ {
		prev, end := bounds[i-1], bounds[i]
		switch {
		case end-from <= max:
			continue // the statement fits in the current piece
		case prev > from:
			out = append(out, text[from:prev]) // the piece is full
		}
		from = prev
		if end-prev > max {
			from = end // too long on its own
		}
	}
	if len(text) > from {
		out = append(out, text[from:])
	}
	return out
}

// Fuzzing reports whether the test binary fuzzes (go test -fuzz) rather
// than runs its seeds as tests.
func Fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzSeeds is how many corpus seeds a fuzz target starts from when it
// fuzzes. Running seeds is cheap under go test, where every piece of the
// corpus is checked; a fuzzer first runs each seed for its coverage, which
// for a thousand pieces took the whole of a 10 s run.
const FuzzSeeds = 100

// Sample returns at most n of the seeds, spread evenly over them, in
// order.
func Sample(seeds []string, n int) []string {
	if len(seeds) <= n {
		return seeds
	}
	out := make([]string, n)
	for i := range out {
		out[i] = seeds[i*len(seeds)/n]
	}
	return out
}

// Unique returns the seeds in order without repeats and without empty
// ones (several entries share files and statements).
func Unique(seeds []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range seeds {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
