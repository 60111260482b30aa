// Package source reads the SQL inputs a user points crudgen at — single
// files, or migration folders written for goose, golang-migrate, dbmate,
// sql-migrate, Diesel, Prisma, sqlx or Flyway — and returns the SQL texts in
// the order the migration tool itself would apply them.
//
// Only the SQL that builds the schema is kept: the "up" part of each
// migration. Every other line (down parts, tool annotations such as
// `-- +goose Up`) is replaced by an empty line, so line N of File.Text is
// line N of the file on disk and later error messages can point into it.
package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File is one SQL text in apply order.
type File struct {
	// Name is the path shown in error messages: the path the user gave,
	// joined with the file's path inside a folder, with forward slashes.
	Name string
	// Text is the SQL to apply. Lines that are not part of the up
	// migration are empty, so the line count equals the original's.
	Text string
}

// Skipped is a file a folder holds but that Load or ReadDir left out,
// with the reason. Callers should show these as warnings: a skipped file
// may hold schema the generated code will not know about.
type Skipped struct {
	Name   string
	Reason string
}

// Result is what Load and ReadDir return.
type Result struct {
	Files   []File    // in apply order
	Skipped []Skipped // in folder order
}

// Error is a problem in one input file. Line is 0 when the problem
// concerns the whole file rather than one line of it.
type Error struct {
	Name string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return e.Name + ": " + e.Msg
}

// Format names a migration tool's folder layout and file syntax.
type Format string

const (
	Auto          Format = ""               // detect
	Plain         Format = "plain"          // a single file, or a folder of .sql files in name order
	Goose         Format = "goose"          // <version>_<name>.sql with -- +goose Up / Down
	GolangMigrate Format = "golang-migrate" // <version>_<title>.up.sql / .down.sql
	Dbmate        Format = "dbmate"         // <version>_<name>.sql with -- migrate:up / down
	SQLMigrate    Format = "sql-migrate"    // *.sql with -- +migrate Up / Down
	Diesel        Format = "diesel"         // <version>_<name>/up.sql
	Prisma        Format = "prisma"         // <timestamp>_<name>/migration.sql
	Numbered      Format = "numbered"       // sqlx <version>_<desc>.sql, Flyway V<version>__<desc>.sql, 0001_x.sql
)

// formats lists the names ParseFormat accepts, in the order shown to users.
var formats = []Format{Plain, Goose, GolangMigrate, Dbmate, SQLMigrate, Diesel, Prisma, Numbered}

// String returns the format's flag name; Auto is "auto".
func (f Format) String() string {
	if f == Auto {
		return "auto"
	}
	return string(f)
}

// ParseFormat parses the value of a --migrations flag. Matching ignores
// case; "auto" and "" mean Auto, and "sqlx" and "flyway" mean Numbered.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "auto":
		return Auto, nil
	case "sqlx", "flyway":
		return Numbered, nil
	}
	for _, f := range formats {
		if s == string(f) {
			return f, nil
		}
	}
	names := []string{"auto"}
	for _, f := range formats {
		names = append(names, string(f))
	}
	return Auto, fmt.Errorf("unknown migration format %q; valid formats: %s (sqlx and flyway are numbered)",
		s, strings.Join(names, ", "))
}

// Options for Load.
type Options struct {
	// Format forces the layout of folders; Auto detects it per folder.
	// For single files only goose, dbmate and sql-migrate matter (they pick
	// the annotation syntax); Auto detects annotations; any other format
	// takes the file as it is.
	Format Format
}

// Load reads each path in order. A file is one File, reduced to its up
// part when it carries goose, dbmate or sql-migrate annotations. A
// directory is a migration folder whose files come back in the tool's own
// apply order.
func Load(paths []string, opts Options) (Result, error) {
	if len(paths) == 0 {
		return Result{}, errors.New("no SQL input given")
	}
	var res Result
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return Result{}, err
		}
		name := filepath.ToSlash(p)
		if info.IsDir() {
			r, _, err := readDir(os.DirFS(p), ".", name, opts.Format)
			if err != nil {
				return Result{}, err
			}
			res.Files = append(res.Files, r.Files...)
			res.Skipped = append(res.Skipped, r.Skipped...)
			continue
		}
		data, err := os.ReadFile(p) // #nosec G304 -- a schema file the configuration or command line names
		if err != nil {
			return Result{}, err
		}
		f, err := loadFile(name, string(data), opts.Format)
		if err != nil {
			return Result{}, err
		}
		res.Files = append(res.Files, f)
	}
	return res, nil
}

// loadFile reads a file given on its own, where there is no folder layout
// to tell the format: only its annotations can.
func loadFile(name, text string, forced Format) (File, error) {
	text = stripBOM(text)
	format := forced
	switch forced {
	case Goose, Dbmate, SQLMigrate:
	case Auto:
		var err error
		if format, err = annotationFormat(name, text); err != nil {
			return File{}, err
		}
	default:
		format = Plain
	}
	up, err := UpPart(name, text, format)
	if err != nil {
		return File{}, err
	}
	return File{Name: name, Text: up}, nil
}

// stripBOM drops a UTF-8 byte order mark, which would hide an annotation
// on the first line. It does not change line numbers.
func stripBOM(s string) string {
	return strings.TrimPrefix(s, "\uFEFF")
}
