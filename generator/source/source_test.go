package source

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/crudgen/crudgen/internal/golden"
)

// Each testdata/*.txtar holds cases for one format. The comment names the
// format ("format: goose"); input files are grouped into cases by their
// first path element, and each case is one folder given to ReadDir. Its
// output goes to "want/<case>", or "want-error/<case>" when ReadDir fails.
func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			a := golden.Load(t, p)
			format := archiveFormat(t, a.Comment)
			fsys, cases := caseFS(a.Inputs)
			var sections []string
			for _, c := range cases {
				res, got, err := ReadDir(fsys, c, format)
				if err != nil {
					sections = append(sections, "want-error/"+c)
					a.Check(t, "want-error/"+c, err.Error())
					continue
				}
				requireLinesKept(t, fsys, res)
				sections = append(sections, "want/"+c)
				a.Check(t, "want/"+c, dump(got, res))
			}
			a.Save(t, sections...)
		})
	}
}

func archiveFormat(t *testing.T, comment string) Format {
	for _, line := range strings.Split(comment, "\n") {
		if v, ok := strings.CutPrefix(line, "format:"); ok {
			f, err := ParseFormat(v)
			require.NoError(t, err)
			return f
		}
	}
	t.Fatal("archive comment has no \"format:\" line")
	return Auto
}

// caseFS builds a file system from txtar sections and lists the case
// folders in the order they first appear.
func caseFS(files []txtar.File) (fstest.MapFS, []string) {
	fsys := fstest.MapFS{}
	var cases []string
	for _, f := range files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		c, _, _ := strings.Cut(f.Name, "/")
		if !slices.Contains(cases, c) {
			cases = append(cases, c)
		}
	}
	return fsys, cases
}

// dump renders a result for a golden file.
func dump(format Format, res Result) string {
	var b strings.Builder
	b.WriteString("format: " + format.String() + "\n")
	for _, s := range res.Skipped {
		b.WriteString("skipped: " + s.Name + ": " + s.Reason + "\n")
	}
	for _, f := range res.Files {
		b.WriteString("== " + f.Name + " ==\n" + f.Text)
		if !strings.HasSuffix(f.Text, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// requireLinesKept checks the package's promise: every file keeps its line
// count, and each line is either the original line or empty.
func requireLinesKept(t testing.TB, fsys fstest.MapFS, res Result) {
	t.Helper()
	for _, f := range res.Files {
		src, ok := fsys[f.Name]
		require.True(t, ok, "result names a file that is not in the input: %s", f.Name)
		requireSameLines(t, f.Name, stripBOM(string(src.Data)), f.Text)
	}
}

func requireSameLines(t testing.TB, name, orig, got string) {
	t.Helper()
	want, have := strings.Split(orig, "\n"), strings.Split(got, "\n")
	require.Equal(t, len(want), len(have), "%s: line count changed", name)
	for i := range have {
		if have[i] != "" && have[i] != want[i] {
			t.Fatalf("%s:%d: line changed: %q became %q", name, i+1, want[i], have[i])
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{
		"": Auto, "auto": Auto, "Goose": Goose, " golang-migrate ": GolangMigrate,
		"dbmate": Dbmate, "sql-migrate": SQLMigrate, "diesel": Diesel, "prisma": Prisma,
		"numbered": Numbered, "sqlx": Numbered, "flyway": Numbered, "plain": Plain,
	} {
		got, err := ParseFormat(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := ParseFormat("liquibase")
	require.EqualError(t, err, `unknown migration format "liquibase"; valid formats: auto, plain, goose, golang-migrate, dbmate, sql-migrate, diesel, prisma, numbered (sqlx and flyway are numbered)`)
}

func TestUpPart(t *testing.T) {
	for _, tc := range []struct {
		name, format, text, want, err string
	}{
		{name: "goose", format: "goose",
			text: "-- +goose Up\r\nCREATE TABLE a (id int);\r\n-- +goose Down\r\nDROP TABLE a;\r\n",
			want: "\nCREATE TABLE a (id int);\r\n\n\n"},
		{name: "goose lower case and BOM", format: "goose",
			text: "\uFEFF-- +goose up\nSELECT 1;\n-- +goose down\nSELECT 2;",
			want: "\nSELECT 1;\n\n"},
		{name: "goose no up", format: "goose", text: "SELECT 1;\n", err: "x.sql:1: SQL before -- +goose Up"},
		{name: "goose empty", format: "goose", text: "", err: "x.sql: no -- +goose Up annotation"},
		{name: "dbmate", format: "dbmate",
			text: "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON a (id);\n-- migrate:down\nDROP INDEX i;\n",
			want: "\nCREATE INDEX CONCURRENTLY i ON a (id);\n\n\n"},
		{name: "sql-migrate", format: "sql-migrate",
			text: "-- +migrate Down\nDROP TABLE a;\n-- +migrate Up notransaction\nCREATE TABLE a (id int);\n",
			want: "\n\n\nCREATE TABLE a (id int);\n"},
		{name: "plain keeps annotations", format: "plain",
			text: "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n",
			want: "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFormat(tc.format)
			require.NoError(t, err)
			got, err := UpPart("x.sql", tc.text, f)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// TestLoad reads real files: a folder, a single annotated file, and a
// plain file, in the order given.
func TestLoad(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	write("db/migrations/10_b.sql", "-- +goose Up\nCREATE TABLE b ();\n")
	write("db/migrations/2_a.sql", "-- +goose Up\nCREATE TABLE a ();\n-- +goose Down\nDROP TABLE a;\n")
	write("db/migrations/3_c.go", "package migrations\n")
	write("extra.sql", "-- migrate:up\nCREATE TABLE c ();\n-- migrate:down\nDROP TABLE c;\n")
	write("views.sql", "CREATE VIEW v AS SELECT 1;\n")

	dir := filepath.Join(root, "db", "migrations")
	res, err := Load([]string{dir, filepath.Join(root, "extra.sql"), filepath.Join(root, "views.sql")}, Options{})
	require.NoError(t, err)
	slash := filepath.ToSlash(root)
	require.Equal(t, []File{
		{Name: slash + "/db/migrations/2_a.sql", Text: "\nCREATE TABLE a ();\n\n\n"},
		{Name: slash + "/db/migrations/10_b.sql", Text: "\nCREATE TABLE b ();\n"},
		{Name: slash + "/extra.sql", Text: "\nCREATE TABLE c ();\n\n\n"},
		{Name: slash + "/views.sql", Text: "CREATE VIEW v AS SELECT 1;\n"},
	}, res.Files)
	require.Len(t, res.Skipped, 1)
	require.Equal(t, slash+"/db/migrations/3_c.go", res.Skipped[0].Name)

	// A forced folder format applies to every folder given.
	res, err = Load([]string{dir}, Options{Format: Plain})
	require.NoError(t, err)
	require.Len(t, res.Files, 2)
	require.Equal(t, slash+"/db/migrations/10_b.sql", res.Files[0].Name, "plain sorts by name")

	// Relative paths keep the user's spelling, joined with the file name.
	t.Chdir(root)
	res, err = Load([]string{"db/migrations"}, Options{})
	require.NoError(t, err)
	require.Equal(t, "db/migrations/2_a.sql", res.Files[0].Name)

	write("bad/1_x.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose Down\n")
	_, err = Load([]string{"bad"}, Options{})
	require.EqualError(t, err, "bad/1_x.sql:4: second -- +goose Down")

	_, err = Load([]string{"missing.sql"}, Options{})
	require.ErrorIs(t, err, os.ErrNotExist)
	_, err = Load(nil, Options{})
	require.Error(t, err)
}

// TestReadDirSubfolder checks names when the folder is not the root of fsys.
func TestReadDirSubfolder(t *testing.T) {
	fsys := fstest.MapFS{
		"app/db/1_a.up.sql":   {Data: []byte("CREATE TABLE a ();\n")},
		"app/db/1_a.down.sql": {Data: []byte("DROP TABLE a;\n")},
	}
	res, format, err := ReadDir(fsys, "app/db", Auto)
	require.NoError(t, err)
	require.Equal(t, GolangMigrate, format)
	require.Equal(t, []File{{Name: "app/db/1_a.up.sql", Text: "CREATE TABLE a ();\n"}}, res.Files)

	_, _, err = ReadDir(fsys, "nope", Auto)
	require.Error(t, err)
}
