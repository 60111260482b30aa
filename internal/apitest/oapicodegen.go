package apitest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/stretchr/testify/require"
)

// RequireOapiCodegen runs oapi-codegen (pinned in tools/go.mod) with the
// configuration dir/oapi-codegen.yaml on the OpenAPI document at doc and
// requires the result to equal the committed dir/client.gen.go, so that the
// committed client is what the document makes now. On a difference it
// shows the start of a diff and how to regenerate.
func RequireOapiCodegen(t *testing.T, dir, doc string) {
	t.Helper()
	tools := toolsModfile(t)
	got := filepath.Join(t.TempDir(), "client.gen.go")
	// #nosec G204 -- the pinned oapi-codegen on the repository's files
	cmd := exec.Command("go", "tool", "-modfile="+tools, "oapi-codegen",
		"-config", filepath.Join(dir, "oapi-codegen.yaml"), "-o", got, doc)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "oapi-codegen on %s:\n%s", doc, out)

	committed := filepath.Join(dir, "client.gen.go")
	want, err := os.ReadFile(committed) // #nosec G304 -- a file of the repository
	require.NoError(t, err)
	have, err := os.ReadFile(got) // #nosec G304 -- written by oapi-codegen above
	require.NoError(t, err)
	if string(want) == string(have) {
		return
	}
	diff, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(want)), B: difflib.SplitLines(string(have)),
		FromFile: committed, ToFile: "oapi-codegen " + doc, Context: 2,
	})
	require.NoError(t, err)
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) > 60 {
		lines = append(lines[:60], "...\n")
	}
	regenerate := "go generate ./" + dir
	if abs, err := filepath.Abs(dir); err == nil {
		if rel, err := filepath.Rel(filepath.Dir(filepath.Dir(tools)), abs); err == nil {
			regenerate = "go generate ./" + filepath.ToSlash(rel)
		}
	}
	t.Fatalf("%s is not what oapi-codegen makes of %s; if the change is intended, run `%s` (or make examples):\n%s",
		committed, doc, regenerate, strings.Join(lines, ""))
}

// toolsModfile finds tools/go.mod in the working directory or above it.
func toolsModfile(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		p := filepath.Join(dir, "tools", "go.mod")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no tools/go.mod above the working directory")
		dir = parent
	}
}
