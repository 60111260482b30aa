package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// corpusDir finds shared/corpus/postgres by walking up from the test's
// working directory; shared/ sits beside the repository. Outside CI a
// missing corpus skips the test; in CI it fails it.
func corpusDir(t *testing.T) string {
	t.Helper()
	if c := findCorpus(t); c != "" {
		return c
	}
	t.Skip("shared/corpus/postgres not found")
	return ""
}

// findCorpus returns shared/corpus/postgres, or "" when it is missing,
// which fails tb when CI=true.
func findCorpus(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	require.NoError(tb, err)
	for d := wd; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "shared", "corpus", "postgres")
		if info, err := os.Stat(c); err == nil && info.IsDir() {
			return c
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("shared/corpus/postgres not found above " + wd)
	}
	return ""
}

// corpusFolders are the migration folders of the corpus.
var corpusFolders = []struct {
	entry, dir string
	format     Format
}{
	{"atuin", "migrations", Numbered},
	{"cratesio", "migrations", Diesel},
	{"supabase_auth", "migrations", GolangMigrate},
	{"sqlc_ondeck", "schema", Numbered},
}

// TestCorpusOrder checks auto-detection and apply order on the real
// migration folders of the corpus against their ORDER.txt.
func TestCorpusOrder(t *testing.T) {
	corpus := corpusDir(t)
	// sqlc_ondeck has no ORDER.txt.
	orders := map[string][]string{"sqlc_ondeck": {"schema/0001_city.sql", "schema/0002_venue.sql", "schema/0003_add_column.sql"}}
	for _, tc := range corpusFolders {
		t.Run(tc.entry, func(t *testing.T) {
			root := filepath.Join(corpus, tc.entry)
			want := orders[tc.entry]
			if want == nil {
				data, err := os.ReadFile(filepath.Join(root, "ORDER.txt"))
				require.NoError(t, err)
				for _, line := range strings.Split(string(data), "\n") {
					if line = strings.TrimSpace(line); line != "" {
						want = append(want, line)
					}
				}
			}
			res, format, err := ReadDir(os.DirFS(root), tc.dir, Auto)
			require.NoError(t, err)
			require.Equal(t, tc.format, format)
			require.Empty(t, res.Skipped)
			var got []string
			for _, f := range res.Files {
				got = append(got, f.Name)
				// No corpus file has annotations, so each comes back whole.
				orig, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Name)))
				require.NoError(t, err)
				require.Equal(t, stripBOM(string(orig)), f.Text, f.Name)
			}
			require.Equal(t, want, got)
		})
	}
}

// TestCorpusFiles loads every single-file corpus schema on its own: none
// carries migration annotations, so each must come back unchanged.
func TestCorpusFiles(t *testing.T) {
	corpus := corpusDir(t)
	paths, err := filepath.Glob(filepath.Join(corpus, "*", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	res, err := Load(paths, Options{})
	require.NoError(t, err)
	require.Len(t, res.Files, len(paths))
	for i, f := range res.Files {
		require.Equal(t, filepath.ToSlash(paths[i]), f.Name)
		orig, err := os.ReadFile(paths[i])
		require.NoError(t, err)
		require.Equal(t, stripBOM(string(orig)), f.Text, f.Name)
	}
}
