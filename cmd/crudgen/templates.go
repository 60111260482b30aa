package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/crudgen/crudgen/templates"
)

func runTemplates(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("templates", flag.ContinueOnError)
	fs.SetOutput(stderr)
	force := fs.Bool("force", false, "overwrite templates already in DIR")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crudgen templates export DIR [--force]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Writes the built-in templates to DIR. Point templates: in crudgen.yaml at DIR")
		fmt.Fprintln(stderr, "and keep only the files you change (or files redefining a block: row,")
		fmt.Fprintln(stderr, "requests, store, handler); the others fall back to the built-in ones.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(rest) != 2 || rest[0] != "export" {
		fs.Usage()
		return exitUsage
	}
	return exportTemplates(rest[1], *force, stdout, stderr)
}

func exportTemplates(dir string, force bool, stdout, stderr io.Writer) int {
	names, err := fs.Glob(templates.FS, "*.tmpl")
	if err != nil {
		return fail(stderr, err)
	}
	if !force {
		for _, n := range names {
			if _, err := os.Stat(filepath.Join(dir, n)); err == nil { // #nosec G703 -- in the directory the user named
				fmt.Fprintf(stderr, "crudgen templates: %s already exists; nothing written (--force overwrites)\n", filepath.Join(dir, n))
				return exitFail
			}
		}
	}
	for _, n := range names {
		src, err := templates.FS.ReadFile(n)
		if err != nil {
			return fail(stderr, err)
		}
		if err := writeProjectFile(filepath.Join(dir, n), src); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stdout, filepath.Join(dir, n))
	}
	return exitOK
}
