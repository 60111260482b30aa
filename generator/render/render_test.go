package render

import (
	"go/format"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withImports imports what the code qualifies names with, whatever the
// template imported: blank imports stay; names in comments, strings and
// selections (a.http.x) do not count.
func TestWithImports(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{{
		"replaced",
		"package p\n\nimport \"os\"\nimport (\n\t_ \"embed\"\n\tstr \"strings\"\n)\n\n// http.Get\nvar _ = fmt.Sprint(`json.x`, \"url.y\", a.http.Z, chi.NewRouter, color.RGB)\n",
		"package p\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\n\t\"example.com/color\"\n\t\"github.com/go-chi/chi/v5\"\n)\n\n// http.Get\nvar _ = fmt.Sprint(`json.x`, \"url.y\", a.http.Z, chi.NewRouter, color.RGB)\n",
	}, {
		"none",
		"package p // the package\n\nimport \"fmt\"\n\nvar x = 1\n",
		"package p // the package\n\nvar x = 1\n",
	}, {
		"across lines and comments",
		"package p\nvar _ = time. /* now */\n\tNow\n",
		"package p\n\nimport (\n\t\"time\"\n)\n\nvar _ = time. /* now */\n\tNow\n",
	}} {
		t.Run(c.name, func(t *testing.T) {
			got, err := withImports([]byte(c.src), map[string]string{"color": "example.com/color"})
			require.NoError(t, err)
			gotFmt, err := format.Source(got)
			require.NoError(t, err)
			wantFmt, err := format.Source([]byte(c.want))
			require.NoError(t, err)
			assert.Equal(t, string(wantFmt), string(gotFmt))
		})
	}
	_, err := withImports([]byte("var x = 1\n"), nil)
	assert.ErrorContains(t, err, "package clause")
	unclosed := "package p\nimport (\n\t\"fmt\"\nfunc f() {}\n"
	got, err := withImports([]byte(unclosed), nil)
	require.NoError(t, err, "format.Source reports what does not parse")
	assert.Equal(t, unclosed, string(got))
}
