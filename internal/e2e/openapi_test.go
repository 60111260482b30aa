package e2e

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/model"
)

// Every generated OpenAPI document is valid OpenAPI 3.0.
func TestOpenAPIDocumentsValidate(t *testing.T) {
	docs, err := filepath.Glob("*/api/openapi.json")
	require.NoError(t, err)
	docs = append(docs, filepath.Join("..", "..", "examples", "blog", "api", "openapi.json"),
		filepath.Join("..", "..", "examples", "shop", "api", "openapi.json"))
	for _, path := range docs {
		t.Run(path, func(t *testing.T) {
			doc, err := openapi3.NewLoader().LoadFromFile(path)
			require.NoError(t, err)
			require.NoError(t, doc.Validate(context.Background()))
		})
	}
}

// Generation gives the same bytes on every run, whatever GOMAXPROCS is.
func TestDeterministic(t *testing.T) {
	generate := func() []byte {
		loaded, err := generator.LoadCatalog([]string{filepath.Join("naming", "schema.sql"), filepath.Join("keys", "schema.sql")}, generator.LoadOptions{})
		require.NoError(t, err)
		gen, err := generator.Generate(loaded, generator.GenerateOptions{Package: "api"})
		require.NoError(t, err)
		var all []byte
		for _, f := range gen.Files {
			all = append(all, f.Path...)
			all = append(all, f.Content...)
		}
		return all
	}
	first := generate()
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	require.Equal(t, string(first), string(generate()))
	runtime.GOMAXPROCS(8)
	require.Equal(t, string(first), string(generate()))
}

// Tables named like the document's shared schemas get other names: the
// problem of every error, the dimensions of arrays and the non-finite
// numbers keep theirs.
func TestSharedSchemaNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schema.sql")
	require.NoError(t, os.WriteFile(path, []byte(`
		CREATE TABLE problems (id int PRIMARY KEY, title text);
		CREATE TABLE field_errors (id int PRIMARY KEY, loc text);
		CREATE TABLE array_dimensions (id int PRIMARY KEY, lower text, ints int[]);
		CREATE TABLE non_finite_numbers (id int PRIMARY KEY, f float8);
	`), 0o644))
	loaded, err := generator.LoadCatalog([]string{path}, generator.LoadOptions{})
	require.NoError(t, err)
	gen, err := generator.Generate(loaded, generator.GenerateOptions{Package: "api"})
	require.NoError(t, err)
	var doc []byte
	for _, f := range gen.Files {
		if f.Path == "openapi.json" {
			doc = f.Content
		}
	}
	d, err := openapi3.NewLoader().LoadFromData(doc)
	require.NoError(t, err)
	require.NoError(t, d.Validate(context.Background()))
	schemas := d.Components.Schemas
	require.Contains(t, schemas["Problem"].Value.Properties, "status")
	require.Contains(t, schemas["FieldError"].Value.Properties, "code")
	require.Contains(t, schemas["ArrayDimension"].Value.Properties, "length")
	require.Equal(t, []any{"NaN", "Infinity", "-Infinity"}, schemas["NonFiniteNumber"].Value.Enum)
	for _, name := range []string{"Problem2", "FieldError2", "ArrayDimension2", "NonFiniteNumber2"} {
		require.Contains(t, schemas[name].Value.Properties, "id", name)
	}
}

// inet is netip.Prefix, which holds a netmask; a configuration may choose
// netip.Addr for columns that never have one.
func TestInetAsAddr(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schema.sql")
	require.NoError(t, os.WriteFile(path, []byte("CREATE TABLE hosts (id int PRIMARY KEY, ip inet, net inet);\n"), 0o644))
	loaded, err := generator.LoadCatalog([]string{path}, generator.LoadOptions{})
	require.NoError(t, err)
	gen, err := generator.Generate(loaded, generator.GenerateOptions{Package: "api",
		Types: map[string]model.TypeOverride{"hosts.ip": {Go: "netip.Addr"}}})
	require.NoError(t, err)
	var code string
	for _, f := range gen.Files {
		if f.Path == "hosts.go" {
			code = string(f.Content)
		}
	}
	require.Contains(t, code, "IP  *netip.Addr")
	require.Contains(t, code, "Net *netip.Prefix")
	require.Contains(t, code, "runtime.ReadAddr")
}
