package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/config"
	"github.com/crudgen/crudgen/generator/dialect"
	"github.com/crudgen/crudgen/generator/source"
)

// pathsFlag collects repeated --schema flags.
type pathsFlag []string

func (p *pathsFlag) String() string     { return "" }
func (p *pathsFlag) Set(s string) error { *p = append(*p, s); return nil }

func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", config.DefaultFile, "configuration file")
	var schemas pathsFlag
	fs.Var(&schemas, "schema", "schema file or migration folder (repeatable; overrides the configuration)")
	out := fs.String("out", "", "output directory (overrides the configuration)")
	pkg := fs.String("package", "", "Go package name (overrides the configuration)")
	dialectName := fs.String("dialect", "", "SQL dialect of the schema: postgres (default), sqlite or mysql (overrides the configuration)")
	verbose := fs.Bool("v", false, "also list notes about the schema (skipped statements, unknown types) on stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crudgen generate [-c crudgen.yaml] [--schema PATH]... [--out DIR] [--package NAME]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Generates the Go REST API of the schema into the output directory. Only files")
		fmt.Fprintln(stderr, "whose content changed are written; generated files no longer produced are removed.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "crudgen generate: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	start := time.Now()
	cfg, loaded, gen, code := prepare(stderr, "generate", *cfgPath, flagSet(fs, "c"), overrides{schemas, *out, *pkg, *dialectName})
	if code != exitOK {
		return code
	}
	outDir := cfg.Resolve(cfg.Out)
	res, err := generator.Write(outDir, gen.Files)
	if err != nil {
		return fail(stderr, err)
	}
	if *verbose {
		for _, n := range loaded.Catalog.Notes {
			fmt.Fprintln(stderr, n)
		}
	}
	// What the API leaves out of a table is always worth a line.
	for _, n := range gen.Package.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	endpoints := 0
	for _, r := range gen.Package.Resources {
		endpoints += len(r.Ops)
	}
	fmt.Fprintf(stdout, "crudgen: %d tables, %d endpoints, %d files written, %d unchanged, %d removed in %s (%s)\n",
		len(gen.Package.Resources), endpoints, len(res.Written), res.Unchanged, len(res.Removed), outDir,
		time.Since(start).Round(time.Millisecond))
	return exitOK
}

// overrides are the flags that override the configuration.
type overrides struct {
	schemas           []string
	out, pkg, dialect string
}

// prepare loads the configuration (with the flags' overrides) and the
// schema, and generates the API in memory.
func prepare(stderr io.Writer, cmd, cfgPath string, explicit bool, o overrides) (*config.Config, *generator.Loaded, *generator.Generated, int) {
	cfg, err := loadConfig(cfgPath, explicit)
	if err != nil {
		return nil, nil, nil, fail(stderr, err)
	}
	if len(o.schemas) > 0 {
		cfg.Schema, cfg.Dir = config.Paths(o.schemas), "."
	}
	if o.out != "" {
		cfg.Out = o.out
	}
	if o.pkg != "" {
		cfg.Package = o.pkg
	}
	if o.dialect != "" {
		cfg.Dialect = o.dialect
	}
	if err := cfg.Check(); err != nil {
		return nil, nil, nil, fail(stderr, err)
	}
	if len(cfg.Schema) == 0 {
		fmt.Fprintf(stderr, "crudgen %s: no schema: set schema in crudgen.yaml or pass --schema\n", cmd)
		return nil, nil, nil, exitUsage
	}
	format, err := source.ParseFormat(cfg.Migrations)
	if err != nil {
		return nil, nil, nil, fail(stderr, err)
	}
	paths := make([]string, len(cfg.Schema))
	for i, p := range cfg.Schema {
		paths[i] = cfg.Resolve(p)
	}
	d, _ := dialect.Parse(cfg.Dialect) // Check accepted it
	loaded, err := generator.LoadCatalog(paths, generator.LoadOptions{Migrations: format, Dialect: d})
	if err != nil {
		return nil, nil, nil, fail(stderr, err)
	}
	opts, err := generator.OptionsOf(cfg)
	if err != nil {
		return nil, nil, nil, fail(stderr, err)
	}
	gen, err := generator.Generate(loaded, opts)
	if err != nil {
		return nil, nil, nil, fail(stderr, err)
	}
	return cfg, loaded, gen, exitOK
}

// loadConfig reads the configuration file, or uses defaults when the
// default file is absent and none was asked for.
func loadConfig(path string, explicit bool) (*config.Config, error) {
	cfg, err := config.Load(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return config.Default(), nil
	}
	return cfg, err
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
