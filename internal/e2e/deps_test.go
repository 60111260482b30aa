package e2e

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/config"
	"github.com/crudgen/crudgen/generator/dialect"
)

// driverPaths are the import paths of the drivers of each engine: a
// generated project depends on its own engine's and on no other's.
var driverPaths = map[string][]string{
	"postgres": {"github.com/jackc/pgx/v5"},
	"sqlite":   {"modernc.org/sqlite", "github.com/ncruces/go-sqlite3", "github.com/mattn/go-sqlite3"},
	"mysql":    {"github.com/go-sql-driver/mysql"},
}

// TestGeneratedPackagesDependOnTheirEngineOnly lists with go list -deps
// the dependencies of the generated packages (the e2e goldens' output
// folders, by the dialect of their crudgen.yaml, and the examples): each depends
// on a driver of its engine and on none of another engine.
func TestGeneratedPackagesDependOnTheirEngineOnly(t *testing.T) {
	byEngine := map[string][]string{
		"postgres": {"../../examples/blog/...", "../../examples/shop/...", "../../examples/bench/api/..."},
		"sqlite":   {"../../examples/bench/sqlite/api/..."},
	}
	cfgs, err := configs()
	require.NoError(t, err)
	for _, path := range cfgs {
		cfg, err := config.Load(path)
		require.NoError(t, err)
		d, err := dialect.Parse(cfg.Dialect)
		require.NoError(t, err)
		byEngine[string(d)] = append(byEngine[string(d)], "./"+filepath.ToSlash(cfg.Resolve(cfg.Out))+"/...")
	}
	require.NotEmpty(t, byEngine["sqlite"])
	for engine, pkgs := range byEngine {
		deps := listDeps(t, ".", pkgs...)
		for other, paths := range driverPaths {
			found := slices.ContainsFunc(paths, func(p string) bool { return dependsOn(deps, p) })
			if other == engine {
				require.True(t, found, "%s packages import none of %s", engine, paths)
			} else {
				require.False(t, found, "%s packages must not import %s", engine, paths)
			}
		}
	}
}

// TestRuntimeCoreKnowsNoDriver checks that the engine-neutral runtime
// package depends on no driver, so that every engine's projects can use it.
func TestRuntimeCoreKnowsNoDriver(t *testing.T) {
	deps := listDeps(t, "../../runtime", ".", "./docs")
	for _, paths := range driverPaths {
		for _, p := range paths {
			require.False(t, dependsOn(deps, p), "the runtime's core must not import %s", p)
		}
	}
}

func listDeps(t *testing.T, dir string, pkgs ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return strings.Fields(string(out))
}

// dependsOn reports whether deps holds path or a package under it.
func dependsOn(deps []string, path string) bool {
	for _, d := range deps {
		if d == path || strings.HasPrefix(d, path+"/") {
			return true
		}
	}
	return false
}
