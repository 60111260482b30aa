package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/apidiff"
	"github.com/crudgen/crudgen/generator/config"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", config.DefaultFile, "configuration file")
	var schemas pathsFlag
	fs.Var(&schemas, "schema", "schema file or migration folder (repeatable; overrides the configuration)")
	out := fs.String("out", "", "output directory (overrides the configuration)")
	pkg := fs.String("package", "", "Go package name (overrides the configuration)")
	dialectName := fs.String("dialect", "", "SQL dialect of the schema: postgres (default), sqlite or mysql (overrides the configuration)")
	api := fs.String("api", "", "a previous OpenAPI document: also fail on changes that break its clients")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crudgen check [-c crudgen.yaml] [--api BASE.json]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Generates in memory and compares with the output directory: exits 1 with a")
		fmt.Fprintln(stderr, "unified diff when a generated file was edited, is missing or is stale. With")
		fmt.Fprintln(stderr, "--api, also lists the changes from BASE.json that break clients (removed routes")
		fmt.Fprintln(stderr, "or fields, narrowed types, new required fields) and exits 1 when there are any.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "crudgen check: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	cfg, _, gen, code := prepare(stderr, "check", *cfgPath, flagSet(fs, "c"), overrides{schemas, *out, *pkg, *dialectName})
	if code != exitOK {
		return code
	}
	outDir := cfg.Resolve(cfg.Out)
	diffs, err := generator.Compare(outDir, gen.Files)
	if err != nil {
		return fail(stderr, err)
	}
	status := exitOK
	for _, d := range diffs {
		fmt.Fprint(stdout, d.Diff)
	}
	if len(diffs) > 0 {
		fmt.Fprintf(stderr, "crudgen check: %d generated files in %s differ from the schema; run crudgen generate\n", len(diffs), outDir)
		status = exitFail
	}
	if *api != "" {
		old, err := os.ReadFile(*api)
		if err != nil {
			return fail(stderr, err)
		}
		var doc []byte
		for _, f := range gen.Files {
			if f.Path == "openapi.json" {
				doc = f.Content
			}
		}
		breaking, err := apidiff.Breaking(old, doc)
		if err != nil {
			return fail(stderr, err)
		}
		for _, b := range breaking {
			fmt.Fprintln(stdout, "breaking:", b)
		}
		if len(breaking) > 0 {
			fmt.Fprintf(stderr, "crudgen check: %d changes from %s break clients\n", len(breaking), *api)
			status = exitFail
		}
	}
	if status == exitOK {
		fmt.Fprintf(stdout, "crudgen: %s is up to date\n", outDir)
	}
	return status
}
