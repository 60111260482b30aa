package generator

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/crudgen/crudgen/generator/render"
)

// Difference is a file on disk that is not what generation produces now:
// changed, missing, or generated but no longer produced.
type Difference struct {
	Path string // relative to the output directory
	Diff string // unified diff from the disk to the generated content
}

// Compare compares files with what dir holds, as Write would leave it,
// without writing anything.
func Compare(dir string, files []render.File) ([]Difference, error) {
	var out []Difference
	produced := map[string]bool{}
	for _, f := range files {
		produced[filepath.FromSlash(f.Path)] = true
		old, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path))) // #nosec G304 -- a file of the output directory
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if err == nil && bytes.Equal(old, f.Content) {
			continue
		}
		from := "a/" + f.Path
		if err != nil {
			from = "/dev/null"
		}
		d, err := unified(from, "b/"+f.Path, old, f.Content)
		if err != nil {
			return nil, err
		}
		out = append(out, Difference{Path: f.Path, Diff: d})
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || produced[name] {
			continue
		}
		content, err := os.ReadFile(filepath.Join(dir, name)) // #nosec G304 -- a file of the output directory
		if err != nil {
			return nil, err
		}
		if isGenerated(content) {
			d, err := unified("a/"+name, "/dev/null", content, nil)
			if err != nil {
				return nil, err
			}
			out = append(out, Difference{Path: name, Diff: d})
		}
	}
	slices.SortFunc(out, func(a, b Difference) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

func unified(from, to string, a, b []byte) (string, error) {
	return difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(a)), B: difflib.SplitLines(string(b)),
		FromFile: from, ToFile: to, Context: 3,
	})
}
