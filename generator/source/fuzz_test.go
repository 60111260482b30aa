package source

import (
	"io/fs"
	"os"
	"path/filepath"
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
			return
		}
		if len(res.Files) == 0 {
			t.Fatal("no files and no error")
		}
		requireLinesKept(t, fsys, res)
	})
}

// FuzzUpPart checks the line invariant for single texts.
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
		format := fuzzFormats[int(which)%len(fuzzFormats)]
		if format == Auto {
			var err error
			if format, err = annotationFormat("x.sql", text); err != nil {
				return
			}
		}
		up, err := UpPart("x.sql", text, format)
		if err != nil {
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
