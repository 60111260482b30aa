package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintln(stderr, "Usage: crudgen version\n\nPrints crudgen's version, the commit it was built from and the Go version.")
		return exitOK
	}
	if len(args) > 0 {
		fmt.Fprintln(stderr, "Usage: crudgen version")
		return exitUsage
	}
	fmt.Fprintln(stdout, versionLine())
	return exitOK
}

// versionLine says which crudgen this is: the module version (or devel),
// the commit and its time when built from a checkout, and the Go version.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "crudgen (unknown build)"
	}
	version := info.Main.Version
	if version == "" || version == "(devel)" {
		version = "devel"
	}
	line := "crudgen " + version
	var rev, when, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " commit " + rev + dirty
		if when != "" {
			line += " (" + when + ")"
		}
	}
	return line + " " + info.GoVersion
}
