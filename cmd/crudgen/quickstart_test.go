package main

// The README's quickstart, run command by command as a newcomer would,
// with the paths, database and port of the test.

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime/pgtest"
)

// quickstart returns the lines of the README block after a quickstart
// marker ("<!-- quickstart:", "<!-- quickstart-sqlite:").
func quickstart(t *testing.T, marker string) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(readme), marker)
	require.True(t, ok, "README has a block after %s", marker)
	_, block, _ = strings.Cut(block, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	return strings.Split(strings.TrimSpace(block), "\n")
}

func TestQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a project and serves it")
	}
	lines := quickstart(t, "<!-- quickstart:")
	require.GreaterOrEqual(t, len(lines), 4)

	server := pgtest.ServerURL()
	u, err := url.Parse(server)
	require.NoError(t, err)
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		pgtest.Fresh(t) // skips, or fails under CI=true, as every database test
		return
	}
	db := "crudgen_quickstart_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
		conn.Close(context.Background())
	})
	port := freePort(t)
	app := filepath.Join(t.TempDir(), "myapp")
	dbURL := (&url.URL{Scheme: "postgres", User: u.User, Host: u.Host, Path: "/" + db, RawQuery: u.RawQuery}).String()
	replace := strings.NewReplacer(
		"/tmp/myapp", app,
		"postgres://localhost/myapp", dbURL,
		"createdb myapp", "createdb "+db,
		"-d myapp", "-d "+db,
		"localhost:8080", "localhost:"+port,
	)
	env := append(os.Environ(), "PGHOST="+u.Hostname(), "PGPORT="+u.Port(), "PGUSER="+u.User.Username(), "ADDR=127.0.0.1:"+port)
	outputs := runLines(t, lines, replace, env)
	last := outputs[len(outputs)-1]
	assert.Contains(t, last, `"title":"first"`)
	assert.Contains(t, outputs[len(outputs)-2], `"id":1`)
}

// TestQuickstartSQLite runs the README's quickstart that needs no
// database server: the server creates the SQLite file from the schema.
func TestQuickstartSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a project and serves it")
	}
	lines := quickstart(t, "<!-- quickstart-sqlite:")
	require.GreaterOrEqual(t, len(lines), 4)
	port := freePort(t)
	app := filepath.Join(t.TempDir(), "notes")
	replace := strings.NewReplacer("/tmp/notes", app, "localhost:8080", "localhost:"+port)
	env := append(os.Environ(), "ADDR=127.0.0.1:"+port)
	outputs := runLines(t, lines, replace, env)
	assert.Contains(t, outputs[len(outputs)-1], `"title":"first"`)
	assert.Contains(t, outputs[len(outputs)-2], `"id":1`)
	assert.FileExists(t, filepath.Join(app, "notes.db"))
}

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, ln.Close())
	return port
}

// runLines runs the lines of a README block from the checkout's root, as
// bash would (cd changes the folder; a line ending in & runs in the
// background until the test ends; a curl is retried while the server
// starts), with replace applied to each, and returns the outputs of the
// lines that ran in the foreground.
func runLines(t *testing.T, lines []string, replace *strings.Replacer, env []string) []string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	comment := regexp.MustCompile(`\s+#.*$`)
	var outputs []string
	for _, line := range lines {
		cmdline := replace.Replace(comment.ReplaceAllString(line, ""))
		if d, ok := strings.CutPrefix(cmdline, "cd "); ok {
			dir = d
			continue
		}
		background := strings.HasSuffix(cmdline, "&")
		cmd := exec.Command("bash", "-c", strings.TrimSuffix(cmdline, "&"))
		cmd.Dir, cmd.Env = dir, env
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if background {
			require.NoError(t, cmd.Start(), line)
			t.Cleanup(func() {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
				_ = cmd.Wait()
			})
			continue
		}
		if strings.HasPrefix(cmdline, "curl") {
			// The server started in the background may still be building.
			require.Eventually(t, func() bool {
				out.Reset()
				c := exec.Command("bash", "-c", cmdline)
				c.Dir, c.Env, c.Stdout, c.Stderr = dir, env, &out, &out
				return c.Run() == nil && out.Len() > 0
			}, 90*time.Second, 200*time.Millisecond, "%s: %s", line, &out)
		} else {
			require.NoError(t, cmd.Run(), "%s:\n%s", line, &out)
		}
		outputs = append(outputs, out.String())
	}
	return outputs
}
