// Command loadtest compares crudgen's generated server with the
// hand-written baseline (examples/bench/handwritten) under load, side by
// side in one run: it loads a fixture of -rows items into a fresh
// database, starts both servers (and the generated one inside the
// production middleware) from one build of ../benchserver, then, for each
// scenario, drives each server for -duration per round over -rounds
// rounds, alternating which goes first. It prints requests per second,
// p50 and p99 latency, server CPU per request (from /proc) and the ratios
// generated/handwritten.
//
// -engine sqlite compares the SQLite servers of examples/bench/sqlite the
// same way, over a database file of -rows items, for GET by key and a
// filtered, sorted list of 20 by default. It shows each round's values
// and the median of the rounds' ratios, so that one disturbed round on a
// shared machine does not decide the figure.
//
//	go run ./examples/bench/cmd/loadtest                 (make bench runs both)
//	go run ./examples/bench/cmd/loadtest -engine sqlite
package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the SQLite driver, to make the fixture
)

func main() {
	var o options
	flag.StringVar(&o.engine, "engine", "postgres", "the servers to compare: postgres (examples/bench) or sqlite (examples/bench/sqlite)")
	flag.StringVar(&o.adminURL, "db", envOr("CRUDGEN_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL URL of a database to create the bench database from")
	flag.StringVar(&o.database, "database", "crudgen_bench", "the database to (re)create")
	flag.IntVar(&o.rows, "rows", 100_000, "rows in the fixture")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "load per server, scenario and round")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds per scenario")
	flag.IntVar(&o.conns, "conns", 16, "concurrent client connections")
	flag.StringVar(&o.only, "scenarios", "", "scenarios to run (default get,list,post,patch; for sqlite get,list)")
	flag.DurationVar(&o.soak, "soak", 0, "instead of the comparison, drive GETs at the production server for this long, sampling its memory")
	flag.StringVar(&o.profiles, "profiles", "", "directory to write each server's CPU profile to (IMPL.pprof)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	engine, adminURL, database, only string
	profiles                         string
	rows, rounds, conns              int
	duration, soak                   time.Duration
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// server is a benchserver process.
type server struct {
	impl string
	base string
	cmd  *exec.Cmd
}

// result is what one server did in one scenario, over all rounds.
type result struct {
	requests, failures int
	elapsed            time.Duration
	cpu                time.Duration
	latencies          []time.Duration
}

func run(o options) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "crudgen-loadtest")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The servers to start, and the database they serve.
	impls := []string{"generated", "handwritten", "production"}
	var dbURL string
	switch o.engine {
	case "postgres":
		if dbURL, err = fixture(ctx, o); err != nil {
			return err
		}
		dbURL += "&pool_max_conns=10"
		if o.only == "" {
			o.only = "get,list,post,patch"
		}
	case "sqlite":
		if dbURL, err = sqliteFixture(dir, o); err != nil {
			return err
		}
		impls = impls[:2]
		if o.only == "" {
			o.only = "get,list"
		}
	default:
		return fmt.Errorf("-engine %q: want postgres or sqlite", o.engine)
	}
	if o.soak > 0 {
		impls = []string{"production"}
	}
	bin := filepath.Join(dir, "benchserver")
	build := exec.Command("go", "build", "-o", bin, "./examples/bench/cmd/benchserver") // #nosec G204 -- into this program's temporary directory
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building benchserver (run from the repository root): %w", err)
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for _, impl := range impls {
		s, err := start(bin, o.engine, impl, dbURL, o.profiles)
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.conns, MaxConnsPerHost: o.conns}, Timeout: 10 * time.Second}
	switch {
	case o.soak > 0:
		return soak(client, servers[0], o)
	case o.engine == "sqlite":
		return compareRounds(client, servers, o)
	}
	fmt.Printf("fixture: %d rows; %d connections; %s per server and round; %d rounds, order alternating\n\n", o.rows, o.conns, o.duration, o.rounds)
	fmt.Printf("%-7s %-12s %10s %9s %9s %12s %8s\n", "case", "server", "req/s", "p50", "p99", "CPU µs/req", "errors")
	var summary []string
	for _, name := range strings.Split(o.only, ",") {
		sc, ok := scenarios(o.rows)[name]
		if !ok {
			return fmt.Errorf("no scenario %q", name)
		}
		results := map[string]*result{}
		for round := range o.rounds {
			order := slices.Clone(servers)
			if round%2 == 1 {
				slices.Reverse(order)
			}
			for _, s := range order {
				r := results[s.impl]
				if r == nil {
					r = &result{}
					results[s.impl] = r
				}
				if err := load(client, s, sc, o, round, r); err != nil {
					return err
				}
			}
		}
		for _, s := range servers {
			r := results[s.impl]
			fmt.Printf("%-7s %-12s %10.0f %9s %9s %12.1f %8d\n", name, s.impl, r.rate(), r.pct(50), r.pct(99), r.cpuPer(), r.failures)
		}
		g, h, p := results["generated"], results["handwritten"], results["production"]
		summary = append(summary, fmt.Sprintf("%-7s CPU/req %.2fx  req/s %.2fx  p99 %.2fx  (production middleware: +%.1f µs/req)",
			name, g.cpuPer()/h.cpuPer(), g.rate()/h.rate(), float64(g.pct(99))/float64(h.pct(99)), p.cpuPer()-g.cpuPer()))
	}
	fmt.Printf("\ngenerated / handwritten:\n%s\n", strings.Join(summary, "\n"))
	return nil
}

// fixture recreates the bench database with the schema and -rows items.
func fixture(ctx context.Context, o options) (string, error) {
	admin, err := pgx.Connect(ctx, o.adminURL)
	if err != nil {
		return "", err
	}
	defer admin.Close(ctx)
	ident := pgx.Identifier{o.database}.Sanitize()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return "", err
	}
	u, err := url.Parse(o.adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + o.database
	if u.RawQuery == "" {
		u.RawQuery = "sslmode=disable"
	}
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	schema, err := os.ReadFile("examples/bench/schema.sql")
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, string(schema)); err != nil {
		return "", err
	}
	rows, err := os.ReadFile("examples/bench/fixture.sql")
	if err != nil {
		return "", err
	}
	_, err = conn.Exec(ctx, string(rows), o.rows)
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "ANALYZE items"); err != nil {
		return "", err
	}
	return u.String(), nil
}

// sqliteFixture makes the SQLite database of the comparison in dir: the
// schema and -rows items, analyzed; it returns its DATABASE_URL.
func sqliteFixture(dir string, o options) (string, error) {
	path := filepath.Join(dir, "bench.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	for _, file := range []string{"examples/bench/sqlite/schema.sql", "examples/bench/sqlite/fixture.sql"} {
		statements, err := os.ReadFile(file) // #nosec G304 -- the repository's own files
		if err != nil {
			return "", err
		}
		var args []any
		if strings.HasSuffix(file, "fixture.sql") {
			args = append(args, o.rows)
		}
		if _, err := db.Exec(string(statements), args...); err != nil {
			return "", fmt.Errorf("%s: %w", file, err)
		}
	}
	if _, err := db.Exec("ANALYZE"); err != nil {
		return "", err
	}
	return "sqlite:" + path, nil
}

// start runs bin for impl on a free port and waits until it answers.
// With profiles set, the server writes its CPU profile there
// (ENGINE-IMPL.pprof for SQLite).
func start(bin, engine, impl, dbURL, profiles string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	args := []string{"-engine", engine, "-impl", impl, "-addr", addr}
	if profiles != "" {
		name := impl
		if engine != "postgres" {
			name = engine + "-" + impl
		}
		args = append(args, "-cpuprofile", filepath.Join(profiles, name+".pprof"))
	}
	cmd := exec.Command(bin, args...) // #nosec G204 -- the benchserver built above, with flags of this program
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{impl: impl, base: "http://" + addr, cmd: cmd}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(s.base + "/items/1"); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("%s did not answer GET /items/1 within 10 s", impl)
}

// stop ends the server with SIGINT, so that it writes its profile, or
// kills it when it does not exit within 10 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// compareRounds drives each server with each scenario for o.duration per
// round over o.rounds rounds, alternating which server goes first, and
// prints every round's figures, then per scenario the median of the
// rounds' CPU ratios generated/handwritten.
func compareRounds(client *http.Client, servers []*server, o options) error {
	fmt.Printf("%s: fixture %d rows; %d connections; %s per server and round; %d rounds, order alternating\n\n",
		o.engine, o.rows, o.conns, o.duration, o.rounds)
	fmt.Printf("%-7s %5s %-12s %10s %9s %9s %12s %8s\n", "case", "round", "server", "req/s", "p50", "p99", "CPU µs/req", "errors")
	var summary []string
	for _, name := range strings.Split(o.only, ",") {
		sc, ok := scenarios(o.rows)[name]
		if !ok {
			return fmt.Errorf("no scenario %q", name)
		}
		var cpu, rate []float64 // generated/handwritten, by round
		var genCPU, handCPU []float64
		for round := range o.rounds {
			order := slices.Clone(servers)
			if round%2 == 1 {
				slices.Reverse(order)
			}
			results := map[string]*result{}
			for _, s := range order {
				r := &result{}
				if err := load(client, s, sc, o, round, r); err != nil {
					return err
				}
				results[s.impl] = r
			}
			for _, s := range servers {
				r := results[s.impl]
				fmt.Printf("%-7s %5d %-12s %10.0f %9s %9s %12.1f %8d\n", name, round+1, s.impl, r.rate(), r.pct(50), r.pct(99), r.cpuPer(), r.failures)
			}
			g, h := results["generated"], results["handwritten"]
			cpu = append(cpu, g.cpuPer()/h.cpuPer())
			rate = append(rate, g.rate()/h.rate())
			genCPU, handCPU = append(genCPU, g.cpuPer()), append(handCPU, h.cpuPer())
		}
		rounds := make([]string, len(cpu))
		for i, x := range cpu {
			rounds[i] = fmt.Sprintf("%.2fx", x)
		}
		summary = append(summary, fmt.Sprintf("%-7s CPU/req %.2fx (rounds %s; %.1f vs %.1f µs)  req/s %.2fx",
			name, median(cpu), strings.Join(rounds, " "), median(genCPU), median(handCPU), median(rate)))
	}
	fmt.Printf("\ngenerated / handwritten, medians of the rounds:\n%s\n", strings.Join(summary, "\n"))
	return nil
}

// median is the middle value of xs (the mean of the middle two for an
// even count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

// scenario makes the requests of a case: worker w's n-th request to a
// server of impl.
type scenario func(impl string, rng *rand.Rand, tag string) (method, path string, body []byte)

func scenarios(rows int) map[string]scenario {
	var seq atomic.Int64
	return map[string]scenario{
		"get": func(_ string, rng *rand.Rand, _ string) (string, string, []byte) {
			return http.MethodGet, "/items/" + strconv.Itoa(1+rng.IntN(rows)), nil
		},
		// 20 rows with a filter and a sort.
		"list": func(impl string, rng *rand.Rand, _ string) (string, string, []byte) {
			min := strconv.Itoa(rng.IntN(90))
			if impl == "handwritten" {
				return http.MethodGet, "/items?status=active&min_price=" + min + "&sort=-price&limit=20", nil
			}
			return http.MethodGet, "/items?status=active&price[gte]=" + min + "&sort=-price&limit=20", nil
		},
		"post": func(_ string, rng *rand.Rand, tag string) (string, string, []byte) {
			n := seq.Add(1)
			return http.MethodPost, "/items", fmt.Appendf(nil,
				`{"sku":"N-%s-%d","name":"new item %d","description":"made under load","price":"%d.%02d","quantity":%d,"tags":["new","load"]}`,
				tag, n, n, rng.IntN(1000), rng.IntN(100), rng.IntN(100))
		},
		"patch": func(_ string, rng *rand.Rand, _ string) (string, string, []byte) {
			return http.MethodPatch, "/items/" + strconv.Itoa(1+rng.IntN(rows)), fmt.Appendf(nil, `{"quantity":%d,"name":"patched %d"}`, rng.IntN(1000), rng.IntN(1000))
		},
	}
}

// load drives s with sc for o.duration and adds what happened to r.
func load(client *http.Client, s *server, sc scenario, o options, round int, r *result) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	cpu0, err := cpuTime(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range o.conns {
		wg.Go(func() {
			// Requests, not secrets: a seeded generator repeats a round's load.
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w))) // #nosec G115 G404 -- round and w count up from 0
			tag := fmt.Sprintf("%s-%d-%d", s.impl, round, w)
			var lat []time.Duration
			var n, failed int
			for ctx.Err() == nil {
				method, path, body := sc(s.impl, rng, tag)
				req, _ := http.NewRequestWithContext(ctx, method, s.base+path, bytes.NewReader(body))
				if body != nil {
					req.Header.Set("Content-Type", "application/json")
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
						failed++
					}
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				lat = append(lat, time.Since(t0))
				n++
				if res.StatusCode >= 300 {
					failed++
				}
			}
			mu.Lock()
			r.requests += n
			r.failures += failed
			r.latencies = append(r.latencies, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r.elapsed += time.Since(start)
	cpu1, err := cpuTime(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	r.cpu += cpu1 - cpu0
	return nil
}

// soak drives GETs at s for o.soak, printing its resident memory every
// tenth of the time, then the range and the growth from the first sample
// after the first tenth to the last.
func soak(client *http.Client, s *server, o options) error {
	step := o.soak / 10
	fmt.Printf("soak: GET /items/{id} at %s (%s) for %s, %d connections\n\n", s.impl, s.base, o.soak, o.conns)
	fmt.Printf("%8s %10s %10s %12s\n", "time", "RSS MiB", "req/s", "CPU µs/req")
	sc := scenarios(o.rows)["get"]
	var samples []float64
	for i := range 10 {
		r := &result{}
		so := o
		so.duration = step
		if err := load(client, s, sc, so, i, r); err != nil {
			return err
		}
		rss, err := residentMiB(s.cmd.Process.Pid)
		if err != nil {
			return err
		}
		samples = append(samples, rss)
		fmt.Printf("%8s %10.1f %10.0f %12.1f\n", time.Duration(i+1)*step, rss, r.rate(), r.cpuPer())
		if r.failures > 0 {
			return fmt.Errorf("%d requests failed", r.failures)
		}
	}
	fmt.Printf("\nRSS %.1f to %.1f MiB; from the second sample to the last %+.1f MiB\n",
		slices.Min(samples), slices.Max(samples), samples[len(samples)-1]-samples[1])
	return nil
}

// residentMiB is the resident memory of process pid (VmRSS).
func residentMiB(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kib / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// cpuTime is the user and system CPU time of process pid, all threads,
// from /proc/pid/stat (in clock ticks of 10 ms).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count after it.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

func (r *result) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r *result) cpuPer() float64 {
	return float64(r.cpu.Microseconds()) / float64(max(r.requests, 1))
}

func (r *result) pct(p int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	return r.latencies[min(len(r.latencies)-1, len(r.latencies)*p/100)].Round(time.Microsecond)
}
