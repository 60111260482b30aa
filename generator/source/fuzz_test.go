package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// fuzzFormats maps a fuzzer byte to a format, Auto included.
var fuzzFormats = append([]Format{Auto}, formats...)

// FuzzReadDir reads a folder given as a txtar archive, in every format: it
// must not panic, and every file it returns must keep its line count with
// each line either unchanged or emptied.
func FuzzReadDir(f *testing.F) {
	for _, seed := range goldenCases(f) {
		f.Add(seed, uint8(0))
	}
	f.Add([]byte("-- 1_a.sql --\n-- +goose Up\nSELECT 1;\n-- +goose Down\n-- 2_b.go --\npackage m\n"), uint8(2))
	f.Add([]byte("-- 2017-08-31-230457_x/up.sql --\nSELECT 1;\n-- 1_y/down.sql --\n"), uint8(6))
	for _, seed := range corpusLayouts(f) {
		f.Add(seed.archive, seed.format)
	}
	f.Fuzz(func(t *testing.T, archive []byte, which uint8) {
		fsys := fstest.MapFS{}
		for _, file := range txtar.Parse(archive).Files {
			if fs.ValidPath(file.Name) && file.Name != "." {
				fsys[file.Name] = &fstest.MapFile{Data: file.Data}
			}
		}
		format := fuzzFormats[int(which)%len(fuzzFormats)]
		res, _, err := ReadDir(fsys, ".", format)
		if err != nil {
			requireLocated(t, fsys, err)
			return
		}
		if len(res.Files) == 0 {
			t.Fatal("no files and no error")
		}
		requireLinesKept(t, fsys, res)
	})
}

// FuzzUpPart checks the line invariant for single texts, and that errors
// name the file and a line inside it.
func FuzzUpPart(f *testing.F) {
	for _, seed := range []string{
		"-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n",
		"-- +goose Up\r\n-- +goose StatementBegin\r\nSELECT 1;\r\n-- +goose StatementEnd\r\n",
		"\uFEFF-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\n-- migrate:up\nSELECT 3;",
		"-- +migrate Down\nSELECT 2;\n-- +migrate Up\n-- +migrate StatementBegin\nSELECT 1;\n-- +migrate StatementEnd\n",
		"CREATE TABLE t (id int);",
	} {
		f.Add(seed, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		fsys := fstest.MapFS{"x.sql": &fstest.MapFile{Data: []byte(text)}}
		format := fuzzFormats[int(which)%len(fuzzFormats)]
		if format == Auto {
			var err error
			if format, err = annotationFormat("x.sql", text); err != nil {
				requireLocated(t, fsys, err)
				return
			}
		}
		up, err := UpPart("x.sql", text, format)
		if err != nil {
			requireLocated(t, fsys, err)
			return
		}
		requireSameLines(t, "x.sql", stripBOM(text), up)
	})
}

// goldenCases turns each case folder of the golden archives into an
// archive of its own, rooted at the case folder.
func goldenCases(f *testing.F) [][]byte {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		f.Fatal(err)
	}
	var seeds [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		cases := map[string]*txtar.Archive{}
		var order []string
		for _, file := range txtar.Parse(data).Files {
			c, rel, ok := strings.Cut(file.Name, "/")
			if !ok || strings.HasPrefix(c, "want") {
				continue
			}
			if cases[c] == nil {
				cases[c] = &txtar.Archive{}
				order = append(order, c)
			}
			cases[c].Files = append(cases[c].Files, txtar.File{Name: rel, Data: file.Data})
		}
		for _, c := range order {
			seeds = append(seeds, txtar.Format(cases[c]))
		}
	}
	return seeds
}

// requireLocated checks that an error of ReadDir names a file of the
// folder, with a line inside it, or the folder itself.
func requireLocated(t *testing.T, fsys fstest.MapFS, err error) {
	t.Helper()
	var e *Error
	var pe *fs.PathError
	switch {
	case errors.As(err, &e):
		if e.Name == "" {
			t.Fatalf("error names no file: %v", err)
		}
		if e.Line > 0 {
			f, ok := fsys[e.Name]
			if !ok {
				t.Fatalf("error names a line of %s, which is no file: %v", e.Name, err)
			}
			if lines := strings.Count(string(f.Data), "\n") + 1; e.Line > lines {
				t.Fatalf("error at line %d of a %d-line file: %v", e.Line, lines, err)
			}
		}
	case errors.As(err, &pe):
	case strings.HasPrefix(err.Error(), ".: "):
	default:
		t.Fatalf("error names neither a file nor the folder: %v", err)
	}
}

// layoutSeed is a fuzz seed: a folder as a txtar archive and a format.
type layoutSeed struct {
	archive []byte
	format  uint8
}

// corpusLayouts turns the migration folders of the corpus into seeds that
// keep their layouts: the file names, with each file's first line, which
// is where a tool's part markers go. A large folder gives its first,
// middle and last migrations as seeds of their own. Outside CI a missing
// corpus gives none.
func corpusLayouts(f *testing.F) []layoutSeed {
	root := findCorpus(f)
	if root == "" {
		return nil
	}
	formatIndex := func(format Format) uint8 {
		return uint8(slices.Index(fuzzFormats, format))
	}
	var seeds []layoutSeed
	for _, c := range corpusFolders {
		dir := filepath.Join(root, c.entry, c.dir)
		var migrations [][]txtar.File // files grouped by top-level entry
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			first, _, _ := strings.Cut(string(data), "\n")
			if len(first) > 80 {
				first = first[:80]
			}
			file := txtar.File{Name: rel, Data: []byte(first + "\n")}
			top, _, _ := strings.Cut(rel, "/")
			if n := len(migrations); n > 0 {
				if prev, _, _ := strings.Cut(migrations[n-1][0].Name, "/"); prev == top {
					migrations[n-1] = append(migrations[n-1], file)
					return nil
				}
			}
			migrations = append(migrations, []txtar.File{file})
			return nil
		})
		if err != nil {
			f.Fatal(err)
		}
		add := func(ms [][]txtar.File) {
			a := &txtar.Archive{}
			for _, m := range ms {
				a.Files = append(a.Files, m...)
			}
			seeds = append(seeds, layoutSeed{txtar.Format(a), formatIndex(c.format)}, layoutSeed{txtar.Format(a), 0})
		}
		const window = 8
		if len(migrations) <= 3*window {
			add(migrations)
			continue
		}
		mid := len(migrations)/2 - window/2
		add(migrations[:window])
		add(migrations[mid : mid+window])
		add(migrations[len(migrations)-window:])
	}
	if os.Getenv("CI") == "true" && len(seeds) == 0 {
		f.Fatal("CI=true and the corpus gave no migration folders")
	}
	return seeds
}
