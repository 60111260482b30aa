// Command crudgen generates a Go REST API from PostgreSQL DDL.
//
// Usage:
//
//	crudgen inspect [--dialect postgres|sqlite] [--format json|text] [--migrations FORMAT] [--set NAME=VALUE] [-v] PATH...
//
// Run `crudgen help` for the commands and `crudgen <command> -h` for their
// flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/crudgen/crudgen/generator/ddl"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"init", "create a project: go.mod, crudgen.yaml, a schema, a server; then generate", runInit},
		{"generate", "generate the Go REST API of a schema", runGenerate},
		{"check", "fail when the generated code differs from the schema (or the API broke)", runCheck},
		{"inspect", "print the catalog the schema files describe", runInspect},
		{"templates", "export the built-in templates, to customize them", runTemplates},
		{"version", "print crudgen's version, commit and Go version", runVersion},
		{"help", "show this help", nil},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "crudgen: unknown command %q\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "crudgen generates a Go REST API from PostgreSQL DDL.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: crudgen <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'crudgen <command> -h' for the flags of a command.")
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments, as users write them.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// flagError reports a usage problem and returns the usage exit code.
func flagError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// fail prints an error and returns the failure exit code. Errors located
// in the user's files print as file:line:col: message, one per line, the
// way compilers print them, so editors can jump to them.
func fail(stderr io.Writer, err error) int {
	var located ddl.ErrorList
	var one *ddl.Error
	switch {
	case errors.As(err, &located):
		fmt.Fprintln(stderr, located.Error())
	case errors.As(err, &one):
		fmt.Fprintln(stderr, one.Error())
	default:
		fmt.Fprintf(stderr, "crudgen: %v\n", err)
	}
	return exitFail
}
