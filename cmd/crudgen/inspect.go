package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/dialect"
	"github.com/crudgen/crudgen/generator/source"
)

// varsFlag collects repeated --set NAME=VALUE flags.
type varsFlag map[string]string

func (v varsFlag) String() string { return "" }

func (v varsFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	v[name] = value
	return nil
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "json", "output format: json or text")
	migrations := fs.String("migrations", "auto", "layout of migration folders: auto, "+strings.Join(formatNames(), ", "))
	dialectName := fs.String("dialect", "postgres", "SQL dialect of the schema: postgres, sqlite or mysql")
	verbose := fs.Bool("v", false, "list skipped statements, files and notes on stderr")
	showModel := fs.Bool("model", false, "print what crudgen decides for each table (routes, keys, fields, filters, relations) instead of the catalog")
	vars := varsFlag{}
	fs.Var(vars, "set", "set a psql variable used by the SQL, as psql -v does (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crudgen inspect [--model] [flags] PATH...")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Prints the catalog (tables, views, columns, keys, foreign keys, enums, domains)")
		fmt.Fprintln(stderr, "that the SQL files and migration folders describe, applied in the order given.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "crudgen inspect: no schema file or folder given")
		fs.Usage()
		return exitUsage
	}
	if *format != "json" && *format != "text" {
		fmt.Fprintf(stderr, "crudgen inspect: unknown format %q (want json or text)\n", *format)
		return exitUsage
	}
	mf, err := source.ParseFormat(*migrations)
	if err != nil {
		fmt.Fprintf(stderr, "crudgen inspect: %v\n", err)
		return exitUsage
	}
	d, err := dialect.Parse(*dialectName)
	if err != nil {
		fmt.Fprintf(stderr, "crudgen inspect: --dialect: %v\n", err)
		return exitUsage
	}
	loaded, err := generator.LoadCatalog(paths, generator.LoadOptions{Migrations: mf, Vars: vars, Dialect: d})
	if err != nil {
		return fail(stderr, err)
	}
	if *verbose {
		for _, f := range loaded.SkippedFiles {
			fmt.Fprintf(stderr, "%s: skipped: %s\n", f.Name, f.Reason)
		}
		for _, s := range loaded.Catalog.Skipped {
			fmt.Fprintf(stderr, "%s: skipped %s\n", s.Pos, s.Kind)
		}
		for _, n := range loaded.Catalog.Notes {
			fmt.Fprintf(stderr, "%s\n", n)
		}
	}
	if *showModel {
		gen, err := generator.Generate(loaded, generator.GenerateOptions{})
		if err != nil {
			return fail(stderr, err)
		}
		if err := writeModel(stdout, gen.Package, *format); err != nil {
			return fail(stderr, err)
		}
		return exitOK
	}
	if *format == "text" {
		err = loaded.Catalog.WriteText(stdout)
	} else {
		err = loaded.Catalog.WriteJSON(stdout)
	}
	if err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

func formatNames() []string {
	return []string{"plain", "goose", "golang-migrate", "dbmate", "sql-migrate", "diesel", "prisma", "numbered"}
}
