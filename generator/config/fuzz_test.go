package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// configSeeds are configurations as the tests and crudgen init write
// them, valid and not.
var configSeeds = []string{
	"version: 1\nschema: db/schema.sql\nout: internal/api\n",
	"version: 1\nschema: [a.sql, migrations]\nout: gen/v1\npackage: v1api\n",
	"version: 1\nschema: migrations\nmigrations: goose\nout: api\ntemplates: tmpl\nopenapi: extra.json\n",
	"version: 2\n",
	"version: 1\nschemas: x.sql\n",
	"version: 1\npackage: my-api\n",
	"version: 1\nout: x/func\n",
	"version: [\n",
	"version: 1\ntables:\n  exclud: [x]\n",
	"version: 1\nbase_path: api\nauth: basic\njson_names: snake\n",
	"version: 1\ntables:\n  include: [\"[a\"]\n  read_only: [a*]\n  require_if_match: [b]\n",
	"version: 1\nroutes:\n  people: persons\nfields:\n  title: headline\n  posts.title: \"a,b\"\n",
	"version: 1\ncolumns:\n  users.password: secret\nrelations:\n  posts.author: \"a/b\"\n",
	"version: 1\ncolumns: [a]\ntypes:\n  numeric: {}\n  t.c: {go: x, openapi: {type: string}}\n",
	"version: 1\ngo_names:\n  people: human\n",
	"",
	"out: x\n",
	"version: &v 1\nout: *v\n# comment\n---\nversion: 2\n",
	"{version: 1, schema: [\"a\\tb.sql\"], title: \"\\u00e9\"}\n",
}

// FuzzLoad reads crudgen.yaml files: Load must not panic, and every error
// must say where: the file, then a line or the configuration key at fault.
func FuzzLoad(f *testing.F) {
	for _, s := range configSeeds {
		f.Add(s)
	}
	for _, pattern := range []string{"../../examples/*/crudgen.yaml", "../../internal/e2e/*/crudgen.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(b))
		}
	}
	path := filepath.Join(f.TempDir(), "crudgen.yaml")
	located := locatedError()
	f.Fuzz(func(t *testing.T, content string) {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			msg, ok := strings.CutPrefix(err.Error(), path)
			if !ok || !located.MatchString(msg) {
				t.Fatalf("error names neither a line nor a key: %v", err)
			}
			return
		}
		if c.Version != 1 || c.Package == "" || c.Out == "" {
			t.Fatalf("loaded without version, package or out: %+v", c)
		}
	})
}

// locatedError matches what follows the file name in an error that says
// where: a line and column (:3:5:), a line (line 3: ..., also first in a
// list of errors) or a key of the configuration.
func locatedError() *regexp.Regexp {
	var keys []string
	typ := reflect.TypeFor[Config]()
	for i := range typ.NumField() {
		if tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ","); tag != "-" {
			keys = append(keys, regexp.QuoteMeta(tag))
		}
	}
	return regexp.MustCompile(`^(?::\d+:\d+: |: line \d+: |: unmarshal errors:\n  line \d+: |: (?:` + strings.Join(keys, "|") + `)[:.] )`)
}

// The errors the YAML decoder gives without a position get one.
func TestLoadErrorsLocated(t *testing.T) {
	for content, want := range map[string]string{
		"\"":                                     ": line 1: found unexpected end of stream",
		"version: 1\xff\n":                       ":1:11: invalid UTF-8 (byte 0xff); crudgen.yaml is UTF-8",
		"version: 1\ntitle: \"é\x01\"\n":         ":2:10: control character U+0001 is not allowed",
		"version: 1\nroutes: *x\n":               ": line 2: unknown anchor 'x' referenced",
		"version: 1\ntypes:\n  <<: 3\n":          ": line 2: types: map merge requires map or sequence of maps as the value",
		"version: 1\nout: !!binary '%%%'\n":      ": line 2: out: !!binary value contains invalid base64 data",
		"version: 1\nroutes: &a {a: *a}\n":       ": unmarshal errors:\n  line 2: cannot unmarshal !!map into string",
		"version: 1\nschema: {a: b}\nout: [x]\n": ": unmarshal errors:\n  line 2: cannot unmarshal !!map into []string\n  line 3: cannot unmarshal !!seq into string",
	} {
		path := write(t, content)
		_, err := Load(path)
		require.Error(t, err, content)
		require.Equal(t, path+want, err.Error(), content)
	}
}
