package schema

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/golden"
)

// Each testdata/*.txtar holds SQL files (applied in order) and the expected
// catalog, notes and skipped statements, or the expected error. Run with
// -update to rewrite the expectations after an intended change.
func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar := golden.Load(t, path)
			ar.Check(t, "want", describe(goldenFiles(ar)))
			ar.Save(t, "want")
		})
	}
}

func goldenFiles(ar *golden.Archive) []source.File {
	var files []source.File
	for _, f := range ar.Inputs {
		files = append(files, source.File{Name: f.Name, Text: string(f.Data)})
	}
	return files
}

// describe parses and builds files and prints the outcome.
func describe(files []source.File) string {
	res, err := ddl.Parse(files, ddl.Options{Vars: map[string]string{"schema_name": "app"}})
	if err != nil {
		return "error:\n" + err.Error() + "\n"
	}
	cat, err := Build(res)
	if err != nil {
		return "error:\n" + err.Error() + "\n"
	}
	var b strings.Builder
	if err := cat.WriteText(&b); err != nil {
		return err.Error()
	}
	if len(cat.Notes) > 0 {
		b.WriteString("\n-- notes\n")
		for _, n := range cat.Notes {
			fmt.Fprintln(&b, n)
		}
	}
	if len(cat.Skipped) > 0 {
		b.WriteString("\n-- skipped\n")
		for _, s := range cat.Skipped {
			fmt.Fprintf(&b, "%s: %s\n", s.Pos, s.Kind)
		}
	}
	return b.String()
}
