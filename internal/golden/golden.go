// Package golden compares test output with files under testdata and
// rewrites them when tests run with -update.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"
)

// Update is set by `go test -update` and makes every golden check rewrite
// its file instead of comparing.
var Update = flag.Bool("update", false, "rewrite golden files")

// Check compares got with the file at path, or writes it with -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755)) // #nosec G301 -- a folder of the repository
		require.NoError(t, os.WriteFile(path, got, 0o644))         // #nosec G306 -- a golden file of the repository
		return
	}
	want, err := os.ReadFile(path) // #nosec G304 -- a golden file of the repository
	require.NoError(t, err, "golden file missing; run the test with -update")
	require.Equal(t, string(want), string(got), "output differs from %s; rerun with -update if the change is intended", path)
}

// Archive is a parsed txtar file: input sections followed by expected output
// sections. Sections whose name starts with "want" are outputs.
type Archive struct {
	Path    string
	Comment string
	Inputs  []txtar.File
	Wants   map[string]string
}

// Load reads a txtar golden file.
func Load(t testing.TB, path string) *Archive {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	require.NoError(t, err)
	a := &Archive{Path: path, Comment: string(ar.Comment), Wants: map[string]string{}}
	for _, f := range ar.Files {
		if len(f.Name) >= 4 && f.Name[:4] == "want" {
			a.Wants[f.Name] = string(f.Data)
			continue
		}
		a.Inputs = append(a.Inputs, f)
	}
	return a
}

// Check compares got with the section name, or records it with -update.
// Call Save after all checks of an archive when updating.
func (a *Archive) Check(t testing.TB, name, got string) {
	t.Helper()
	if got != "" && got[len(got)-1] != '\n' {
		got += "\n"
	}
	if *Update {
		a.Wants[name] = got
		return
	}
	want, ok := a.Wants[name]
	require.True(t, ok, "%s: no %q section; run the test with -update", a.Path, name)
	require.Equal(t, want, got, "%s: section %q differs; rerun with -update if the change is intended", a.Path, name)
}

// Save writes the archive back with its inputs and the given output sections
// in order. It does nothing unless -update is set.
func (a *Archive) Save(t testing.TB, names ...string) {
	t.Helper()
	if !*Update {
		return
	}
	ar := &txtar.Archive{Comment: []byte(a.Comment), Files: append([]txtar.File(nil), a.Inputs...)}
	for _, n := range names {
		ar.Files = append(ar.Files, txtar.File{Name: n, Data: []byte(a.Wants[n])})
	}
	require.NoError(t, os.WriteFile(a.Path, txtar.Format(ar), 0o644)) // #nosec G306 -- a golden file of the repository
}
