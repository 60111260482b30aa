package blog_test

// SQL injection: filter values, filter names, sort keys, cursors and
// include names full of SQL metacharacters never change the SQL text that
// reaches PostgreSQL. Every statement is recorded twice: by a pgx tracer
// on the API's pool, and by PostgreSQL itself with log_statement = 'all'
// on the test database, read back from the server's log.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// recorder keeps the SQL text of every statement a pool sends.
type recorder struct {
	mu  sync.Mutex
	sql []string
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	r.sql = append(r.sql, d.SQL)
	r.mu.Unlock()
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the statements recorded since the last call.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sql
	r.sql = nil
	return out
}

// hostile are values a careless API would paste into SQL.
var hostile = []string{
	`'; DROP TABLE posts; --`,
	`x' OR '1'='1`,
	`1 OR 1=1`,
	`1); DELETE FROM authors; --`,
	`$1`,
	`\'`,
	`"title"`,
	`%' UNION SELECT email FROM authors --`,
	`*/ SELECT pg_sleep(5) /*`,
	"line\nbreak; SELECT 1",
}

func cursorOf(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }

func TestInjection(t *testing.T) {
	b := newBlog(t)
	b.exec(t, seedRelations)
	rec := &recorder{}
	dbURL := pgtest.URL(t)
	log := openServerLog(t, b, dbURL) // before the API's pool connects
	pool := apitest.Pool(t, dbURL, func(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = rec })
	b = serve(t, pool)

	// Each case is a benign request and hostile variants of it: a hostile
	// variant either sends exactly the statements of the benign one (its
	// values bound as parameters) or is rejected before any SQL.
	type variant struct {
		query string
		ok    bool // answered 200 rather than 422
	}
	cases := []struct {
		name   string
		benign string
		vary   func(h string) variant
	}{
		{"text filter", "title=Post+1", func(h string) variant { return variant{"title=" + url.QueryEscape(h), true} }},
		{"like filter", "title[like]=Post%25", func(h string) variant { return variant{"title[like]=" + url.QueryEscape(h), true} }},
		{"in filter", "slug[in]=a&slug[in]=b", func(h string) variant {
			return variant{"slug[in]=" + url.QueryEscape(h) + "&slug[in]=" + url.QueryEscape(h+h), true}
		}},
		{"array filter", "keywords[contains]=go", func(h string) variant { return variant{"keywords[contains]=" + url.QueryEscape(h), true} }},
		{"jsonb filter", "metadata[contains]=%7B%7D", func(h string) variant {
			return variant{"metadata[contains]=" + url.QueryEscape(`{"k":`+strconvQuote(h)+`}`), true}
		}},
		{"number filter", "author_id=1", func(h string) variant { return variant{"author_id=" + url.QueryEscape(h), false} }},
		{"enum filter", "status=draft", func(h string) variant { return variant{"status=" + url.QueryEscape(h), false} }},
		{"filter name", "title=x", func(h string) variant { return variant{url.QueryEscape("title"+h) + "=x", false} }},
		{"operator", "title[gt]=x", func(h string) variant { return variant{"title[" + url.QueryEscape(h) + "]=x", false} }},
		{"sort", "sort=-title", func(h string) variant { return variant{"sort=" + url.QueryEscape("-title,"+h), false} }},
		{"include", "include=author", func(h string) variant { return variant{"include=" + url.QueryEscape("author,"+h), false} }},
		{"cursor value", "sort=title&cursor=" + cursorOf(`{"sort":"title","after":["Post 1",1]}`), func(h string) variant {
			return variant{"sort=title&cursor=" + cursorOf(`{"sort":"title","after":[`+strconvQuote(h)+`,1]}`), true}
		}},
		{"cursor sort", "sort=title&cursor=" + cursorOf(`{"sort":"title","after":["a",1]}`), func(h string) variant {
			return variant{"sort=title&cursor=" + cursorOf(`{"sort":`+strconvQuote("title"+h)+`,"after":["a",1]}`), false}
		}},
		{"cursor key", "cursor=" + cursorOf(`{"sort":"","after":[5]}`), func(h string) variant {
			return variant{"cursor=" + cursorOf(`{"sort":"","after":[`+strconvQuote(h)+`]}`), false}
		}},
	}
	var issued []string
	for _, tc := range cases {
		rec.take()
		b.Do(t, http.MethodGet, "/posts?"+tc.benign, nil).Page(t)
		want := rec.take()
		require.NotEmpty(t, want, tc.name)
		issued = append(issued, want...)
		for _, h := range hostile {
			v := tc.vary(h)
			r := b.Send(t, http.MethodGet, "/posts?"+v.query, nil)
			got := rec.take()
			if v.ok {
				require.Equal(t, http.StatusOK, r.Status, "%s %q: %s", tc.name, h, r.Raw)
				assert.Equal(t, want, got, "%s %q: the same statements as the benign request", tc.name, h)
			} else {
				require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s %q: %s", tc.name, h, r.Raw)
				assert.Empty(t, got, "%s %q: rejected before any SQL", tc.name, h)
			}
		}
	}

	// PostgreSQL's own record: no statement it executed holds a hostile
	// value; they appear only among the bound parameters.
	statements, params := log.read(t)
	require.NotEmpty(t, statements, "log_statement = 'all' logged the API's statements")
	for _, s := range statements {
		for _, h := range hostile {
			if h != "$1" { // a placeholder in every statement
				assert.NotContains(t, s, strings.SplitN(h, "\n", 2)[0], "a hostile value inside executed SQL")
			}
		}
		assert.Contains(t, issued, s, "every statement PostgreSQL ran is one a benign request sends")
	}
	assert.Contains(t, params, `DROP TABLE posts`, "hostile values reached PostgreSQL as parameters")
	var counts [2]int
	require.NoError(t, b.pool.QueryRow(context.Background(), "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM authors)").Scan(&counts[0], &counts[1]))
	assert.Equal(t, [2]int{300, 20}, counts, "nothing dropped or deleted")
}

func strconvQuote(s string) string {
	b, _ := jsonMarshal(s)
	return string(b)
}

// serverLog reads what PostgreSQL logs for one database.
type serverLog struct {
	db     *pgxpool.Pool
	path   string
	offset int64
	dbName string
}

// openServerLog turns log_statement on for the test database (new
// connections only: the API's pool is opened after) and finds the server's
// log, which the superuser reads with pg_read_file.
func openServerLog(t *testing.T, b *blog, dbURL string) *serverLog {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dbURL)
	require.NoError(t, err)
	l := &serverLog{db: b.pool, dbName: cfg.ConnConfig.Database}
	_, err = b.pool.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{l.dbName}.Sanitize()+" SET log_statement = 'all'")
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = b.pool.Exec(context.Background(), "ALTER DATABASE "+pgx.Identifier{l.dbName}.Sanitize()+" RESET log_statement")
	})
	var current *string
	require.NoError(t, b.pool.QueryRow(ctx, "SELECT pg_current_logfile()").Scan(&current))
	var dataDir string
	require.NoError(t, b.pool.QueryRow(ctx, "SHOW data_directory").Scan(&dataDir))
	var version int
	require.NoError(t, b.pool.QueryRow(ctx, "SELECT current_setting('server_version_num')::int / 10000").Scan(&version))
	candidates := []string{fmt.Sprintf("/var/log/postgresql/postgresql-%d-main.log", version)}
	if current != nil {
		candidates = append([]string{*current}, candidates...)
	}
	for _, p := range candidates {
		if err := b.pool.QueryRow(ctx, "SELECT size FROM pg_stat_file($1)", p).Scan(&l.offset); err == nil {
			l.path = p
			return l
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the server's log is not at any of %v", candidates)
	}
	t.Skipf("the server's log is not at any of %v", candidates)
	return nil
}

var logStatement = regexp.MustCompile(`^\S+ \S+ \S+ \[\d+\] (\S*)@(\S*) LOG:  (?:execute \S+|statement): (.*)$`)

// read returns the statements the database's sessions executed since the
// log was opened, and the text of the parameters they were given.
func (l *serverLog) read(t *testing.T) (statements []string, params string) {
	t.Helper()
	var text string
	require.NoError(t, l.db.QueryRow(context.Background(), "SELECT pg_read_file($1, $2, (pg_stat_file($1)).size - $2)", l.path, l.offset).Scan(&text))
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		m := logStatement.FindStringSubmatch(lines[i])
		if m == nil || m[2] != l.dbName {
			continue
		}
		stmt := m[3]
		// A statement logged over several lines continues with tabs.
		for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
			i++
			stmt += "\n" + lines[i][1:]
		}
		if i+1 < len(lines) && strings.Contains(lines[i+1], "DETAIL:  parameters:") {
			params += lines[i+1] + "\n"
		}
		if !slices.Contains(statements, stmt) && !strings.HasPrefix(stmt, "ALTER DATABASE") {
			statements = append(statements, stmt)
		}
	}
	return statements, params
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
