// Package e2e holds end-to-end goldens: each folder is a schema, a
// crudgen.yaml and the whole generated package. The generated packages are
// part of the module, so `go build ./...`, `go vet ./...` and staticcheck
// check that the expected output compiles and is clean.
package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/config"
	"github.com/crudgen/crudgen/generator/dialect"
	"github.com/crudgen/crudgen/internal/golden"
)

// TestGoldenE2E regenerates every case in memory and compares the files
// with the committed ones (-update rewrites them).
func TestGoldenE2E(t *testing.T) {
	cfgs, err := configs()
	require.NoError(t, err)
	cfgs = append(cfgs, filepath.Join("..", "..", "examples", "blog", "crudgen.yaml"),
		filepath.Join("..", "..", "examples", "shop", "crudgen.yaml"))
	for _, path := range cfgs {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			CheckGenerated(t, path)
		})
	}
}

// CheckGenerated generates from a configuration file and compares the
// output with the files on disk.
func CheckGenerated(t *testing.T, cfgPath string) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	require.NoError(t, err)
	paths := make([]string, len(cfg.Schema))
	for i, p := range cfg.Schema {
		paths[i] = cfg.Resolve(p)
	}
	d, err := dialect.Parse(cfg.Dialect)
	require.NoError(t, err)
	loaded, err := generator.LoadCatalog(paths, generator.LoadOptions{Dialect: d})
	require.NoError(t, err)
	opts, err := generator.OptionsOf(cfg)
	require.NoError(t, err)
	gen, err := generator.Generate(loaded, opts)
	require.NoError(t, err)
	out := cfg.Resolve(cfg.Out)
	if *golden.Update {
		_, err := generator.Write(out, gen.Files)
		require.NoError(t, err)
		return
	}
	var want []string
	for _, f := range gen.Files {
		want = append(want, f.Path)
		golden.Check(t, filepath.Join(out, f.Path), f.Content)
	}
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		if !e.IsDir() && !slices.Contains(opts.UserCode.Files, e.Name()) {
			got = append(got, e.Name())
		}
	}
	slices.Sort(want)
	require.Equal(t, want, got, "files in %s; run go test -update", out)
}

// configs are the e2e cases: a folder with a crudgen.yaml, or such a folder
// within one (a case's twin for another engine).
func configs() ([]string, error) {
	top, err := filepath.Glob("*/crudgen.yaml")
	if err != nil {
		return nil, err
	}
	nested, err := filepath.Glob("*/*/crudgen.yaml")
	return append(top, nested...), err
}
