package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The JSON Schema for editors describes exactly the keys Config reads,
// and accepts every configuration in the repository.
func TestJSONSchema(t *testing.T) {
	raw, err := os.ReadFile("crudgen.schema.json")
	require.NoError(t, err)
	var doc struct {
		Properties map[string]struct {
			Properties map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	var keys []string
	typ := reflect.TypeFor[Config]()
	for i := range typ.NumField() {
		if tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ","); tag != "-" {
			keys = append(keys, tag)
		}
	}
	var described []string
	for k := range doc.Properties {
		described = append(described, k)
	}
	assert.ElementsMatch(t, keys, described)
	var tables []string
	for k := range doc.Properties["tables"].Properties {
		tables = append(tables, k)
	}
	assert.ElementsMatch(t, []string{"include", "exclude", "read_only", "require_if_match"}, tables)

	compiler := jsonschema.NewCompiler()
	parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	require.NoError(t, compiler.AddResource("crudgen.schema.json", parsed))
	schema, err := compiler.Compile("crudgen.schema.json")
	require.NoError(t, err)
	files, err := filepath.Glob("../../examples/*/crudgen.yaml")
	require.NoError(t, err)
	more, err := filepath.Glob("../../internal/e2e/*/crudgen.yaml")
	require.NoError(t, err)
	files = append(files, more...)
	require.NotEmpty(t, files)
	for _, f := range files {
		var v any
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, yaml.Unmarshal(b, &v))
		assert.NoError(t, schema.Validate(jsonValue(v)), f)
		_, err = Load(f)
		assert.NoError(t, err, f)
	}
	var bad any
	require.NoError(t, yaml.Unmarshal([]byte("version: 1\ncolumns: {users.password: secret}\n"), &bad))
	assert.Error(t, schema.Validate(jsonValue(bad)))
	assert.True(t, slices.Contains(keys, "columns"))
}

// jsonValue turns YAML's decoded values into JSON's (ints as float64).
func jsonValue(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
