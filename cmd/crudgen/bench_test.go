package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/crudgen/crudgen/internal/synth"
)

// synthProject writes a project of a synthetic schema of n tables and
// returns its crudgen.yaml.
func synthProject(tb testing.TB, n int) string {
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(synth.Schema(n)), 0o644); err != nil {
		tb.Fatal(err)
	}
	cfg := filepath.Join(dir, "crudgen.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\nschema: schema.sql\nout: api\npackage: api\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// BenchmarkGenerate1000Tables runs crudgen generate on a synthetic schema
// of 1,000 tables: parse, build, render, gofmt and write, every file
// rewritten each time. "process" runs it as its own process, as a user
// does, and reports its wall time and peak resident memory.
func BenchmarkGenerate1000Tables(b *testing.B) {
	cfg := synthProject(b, 1000)
	out := filepath.Join(filepath.Dir(cfg), "api")
	b.Run("in-process", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := os.RemoveAll(out); err != nil {
				b.Fatal(err)
			}
			if code := run([]string{"generate", "-c", cfg}, io.Discard, os.Stderr); code != 0 {
				b.Fatalf("exit %d", code)
			}
		}
	})
	b.Run("process", func(b *testing.B) {
		var peak int64
		var wall time.Duration
		for b.Loop() {
			if err := os.RemoveAll(out); err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "CRUDGEN_RUN_AS_MAIN=generate\x1f-c\x1f"+cfg)
			cmd.Stderr = os.Stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			wall += time.Since(start)
			peak = max(peak, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) // KiB
		}
		b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
	})
}
