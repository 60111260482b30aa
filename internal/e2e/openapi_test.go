package e2e

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
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
