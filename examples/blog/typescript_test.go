package blog_test

// The TypeScript client of typescript/: types openapi-typescript makes of
// api/openapi.json, requests by openapi-fetch, a round trip that tsc checks
// against those types and node runs against the API.

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// TestTypeScriptClient installs the pinned packages (npm ci), generates
// typescript/src/openapi.ts from the document, type-checks and compiles
// the round trip with tsc and runs it with node against the API served on
// a local port, where every exchange is also checked against the document.
// Without node or npm it skips, except under CI=true, where it fails.
func TestTypeScriptClient(t *testing.T) {
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			pgtest.Missing(t, "%s is not installed (.ci/run installs node and npm)", tool)
		}
	}
	b := newBlog(t)
	srv := httptest.NewServer(apitest.Checked(t, "api/openapi.json", api.NewRouter(b.pool, api.Options{})))
	t.Cleanup(srv.Close)

	const dir = "typescript"
	run(t, dir, nil, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	run(t, dir, nil, "npx", "--no-install", "openapi-typescript", "../api/openapi.json", "-o", "src/openapi.ts")
	run(t, dir, nil, "npx", "--no-install", "tsc", "-p", ".")
	out := run(t, dir, []string{"API_URL=" + srv.URL}, "node", "dist/roundtrip.js")
	t.Logf("node dist/roundtrip.js:\n%s", out)
	require.Contains(t, out, "round trip: ok")
}

// run runs a command in dir with env added to the test's environment and
// returns its output; it fails the test with that output when the command
// fails, and logs how long it took.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	line := strings.Join(append([]string{name}, args...), " ")
	t.Logf("%s (%s)", line, time.Since(start).Round(time.Millisecond))
	require.NoError(t, err, "%s in %s:\n%s", line, dir, out)
	return string(out)
}
