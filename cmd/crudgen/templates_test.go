package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplatesExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tmpl")
	code, out, errs := runCLI("templates", "export", dir)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "resource.go.tmpl")
	for _, n := range []string{"resource.go.tmpl", "router.go.tmpl", "enums.go.tmpl"} {
		assert.FileExists(t, filepath.Join(dir, n))
	}
	code, _, errs = runCLI("templates", "export", dir)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "already exists")
	code, _, _ = runCLI("templates", "export", dir, "--force")
	assert.Equal(t, exitOK, code)
	code, _, _ = runCLI("templates", "import", dir)
	assert.Equal(t, exitUsage, code)
}

// A templates folder overrides built-in templates or their blocks; broken
// ones are errors naming the template and the line.
func TestCustomTemplates(t *testing.T) {
	dir := project(t, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);\n")
	cfg := filepath.Join(dir, "crudgen.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\nschema: schema.sql\nout: api\ntemplates: tmpl\n"), 0o644))
	tmpl := filepath.Join(dir, "tmpl")
	require.NoError(t, os.MkdirAll(tmpl, 0o755))
	write := func(name, src string) {
		t.Helper()
		require.NoError(t, os.WriteFile(filepath.Join(tmpl, name), []byte(src), 0o644))
	}
	// A block redefined: the row type gets a method of the team's.
	write("row.tmpl", `{{define "row"}}
// {{.GoName}} is a row of {{.What}}, with the team's additions.
type {{.GoName}} struct {
{{- range .Fields}}
	{{.GoName}} {{.DeclType}} {{.Tag}}
{{- end}}
}

// AppendJSON appends the row to b as a JSON object.
func (r *{{.GoName}}) AppendJSON(b []byte) []byte {
{{- range $i, $f := .Fields}}
	b = append(b, {{$.KeyLiteral $i}}...)
	b = {{$f.AppendCall "r"}}
{{- end}}
	return append(b, '}')
}

// Table names the row's table.
func (r *{{.GoName}}) Table() string { return {{printf "%q" .TableName}} }
{{end}}`)
	code, _, errs := runCLI("generate", "-c", cfg)
	require.Equal(t, exitOK, code, errs)
	notes, err := os.ReadFile(filepath.Join(dir, "api", "notes.go"))
	require.NoError(t, err)
	assert.Contains(t, string(notes), "with the team's additions")
	assert.Contains(t, string(notes), `func (r *Note) Table() string { return "notes" }`)
	code, _, errs = runCLI("check", "-c", cfg)
	assert.Equal(t, exitOK, code, errs)
	// The customized package still compiles.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/notes\n\ngo 1.26\n\nrequire github.com/crudgen/crudgen/runtime v0.0.0\n\nreplace github.com/crudgen/crudgen/runtime => "+runtimeDir(t)+"\n"), 0o644))
	sh(t, dir, 0, "go", "mod", "tidy")
	sh(t, dir, 0, "go", "vet", "./api/")

	for _, tc := range []struct{ name, src, want string }{
		{"row.tmpl", "{{define \"row\"}}\n{{if}}\n{{end}}", "row.tmpl:2"},
		{"row.tmpl", "{{define \"row\"}}\n\n{{.Nope}}{{end}}", "row.tmpl:3"},
		{"row.tmpl", "{{define \"row\"}}\nfunc {{end}}", "notes.go"},
		{"row.tmpl", "{{define \"rows\"}}x{{end}}", `defines "rows", which no built-in template uses`},
		{"resourse.go.tmpl", "x", "replaces no built-in template"},
	} {
		require.NoError(t, os.RemoveAll(tmpl))
		require.NoError(t, os.MkdirAll(tmpl, 0o755))
		write(tc.name, tc.src)
		code, _, errs = runCLI("generate", "-c", cfg)
		assert.Equal(t, exitFail, code, tc.src)
		assert.Contains(t, errs, tc.want, tc.src)
		assert.False(t, strings.Contains(errs, "panic"), errs)
	}
}

// runtimeDir is the runtime module of this checkout.
func runtimeDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "runtime"))
	require.NoError(t, err)
	return dir
}
