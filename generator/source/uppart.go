package source

import (
	"fmt"
	"regexp"
	"strings"
)

// UpPart extracts the up part of one file's text. Goose, Dbmate and
// SQLMigrate read the tool's annotations; every other format returns the
// text unchanged. Lines outside the up part, and the annotation lines
// themselves, become empty lines, so the result has as many lines as text.
//
// The rules follow each tool's own parser, including its errors (a Down
// annotation before Up, no Up at all, SQL before the first annotation, an
// unclosed StatementBegin). Where a tool would silently run something other
// than what the file seems to say — an indented or misspelled marker — UpPart
// reports an error instead, because guessing wrong would put down-migration
// SQL into the schema.
func UpPart(name, text string, format Format) (string, error) {
	text = stripBOM(text)
	var keep func(name string, lines []string) ([]bool, error)
	switch format {
	case Goose:
		keep = gooseUp
	case Dbmate:
		keep = dbmateUp
	case SQLMigrate:
		keep = sqlMigrateUp
	default:
		return text, nil
	}
	lines := strings.Split(text, "\n")
	kept, err := keep(name, lines)
	if err != nil {
		return "", err
	}
	for i := range lines {
		if !kept[i] {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n"), nil
}

// annotationFormat tells which tool's annotations text uses: Goose,
// Dbmate, SQLMigrate, or Plain when it has none. Detection is looser than
// parsing (it also sees indented or misspelled markers) so that UpPart
// gets to report them rather than the file being taken as plain SQL.
func annotationFormat(name, text string) (Format, error) {
	found, foundLine := Plain, 0
	for i, line := range strings.Split(stripBOM(text), "\n") {
		f := lineAnnotation(line)
		if f == Plain {
			continue
		}
		if found == Plain {
			found, foundLine = f, i+1
			continue
		}
		if f != found {
			return Plain, &Error{Name: name, Line: i + 1,
				Msg: fmt.Sprintf("%s annotation in a file that uses %s annotations (line %d)", f, found, foundLine)}
		}
	}
	return found, nil
}

// lineAnnotation returns the format whose annotation line looks like, or
// Plain. Only comments whose text starts with the marker count, so prose
// such as "-- see the +goose docs" is not taken for an annotation.
func lineAnnotation(line string) Format {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "--") {
		return Plain
	}
	body := strings.TrimSpace(t[2:])
	switch {
	case strings.HasPrefix(strings.ToLower(body), "+goose"):
		return Goose
	case dbmateMarker.MatchString(t):
		return Dbmate
	case body == "+migrate" || strings.HasPrefix(body, "+migrate "):
		return SQLMigrate
	}
	return Plain
}

// Goose (pressly/goose internal/sqlparser): annotations are
// case-insensitive, must start the line, and the file must begin with
// `-- +goose Up`; only blank and comment lines may come before it.

const (
	gooseStart = iota
	gooseUpState
	gooseUpBlock
	gooseDownState
	gooseDownBlock
)

var gooseAnnotations = []string{"Up", "Down", "StatementBegin", "StatementEnd", "NO TRANSACTION", "ENVSUB ON", "ENVSUB OFF"}

func gooseUp(name string, lines []string) ([]bool, error) {
	kept := make([]bool, len(lines))
	state, blockLine := gooseStart, 0
	fail := func(i int, format string, args ...any) ([]bool, error) {
		return nil, &Error{Name: name, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	for i, raw := range lines {
		line := strings.TrimSuffix(raw, "\r")
		t := strings.TrimSpace(line)
		// goose's own test for an annotation line.
		if !strings.HasPrefix(t, "--") || !strings.Contains(line, "+goose") {
			switch state {
			case gooseStart:
				if t != "" && !strings.HasPrefix(t, "--") {
					return fail(i, "SQL before -- +goose Up")
				}
			case gooseUpState, gooseUpBlock:
				kept[i] = true
			}
			continue
		}
		ann, msg := parseGooseAnnotation(line)
		if msg != "" {
			return fail(i, "%s", msg)
		}
		switch ann {
		case "Up":
			if state != gooseStart {
				return fail(i, "second -- +goose Up")
			}
			state = gooseUpState
		case "Down":
			switch state {
			case gooseStart:
				return fail(i, "-- +goose Down before -- +goose Up")
			case gooseUpState:
				state = gooseDownState
			case gooseUpBlock:
				return fail(i, "-- +goose Down inside the StatementBegin block of line %d", blockLine)
			default:
				return fail(i, "second -- +goose Down")
			}
		case "StatementBegin":
			switch state {
			case gooseStart:
				return fail(i, "-- +goose StatementBegin before -- +goose Up")
			case gooseUpState:
				state, blockLine = gooseUpBlock, i+1
			case gooseDownState:
				state, blockLine = gooseDownBlock, i+1
			default:
				return fail(i, "-- +goose StatementBegin inside the StatementBegin block of line %d", blockLine)
			}
		case "StatementEnd":
			switch state {
			case gooseUpBlock:
				state = gooseUpState
			case gooseDownBlock:
				state = gooseDownState
			default:
				return fail(i, "-- +goose StatementEnd without StatementBegin")
			}
		}
		// NO TRANSACTION and ENVSUB only change how goose runs the SQL.
	}
	switch state {
	case gooseStart:
		return nil, &Error{Name: name, Msg: "no -- +goose Up annotation"}
	case gooseUpBlock, gooseDownBlock:
		return fail(blockLine-1, "-- +goose StatementBegin without StatementEnd")
	}
	return kept, nil
}

// parseGooseAnnotation mirrors goose's extractAnnotation: it returns the
// canonical annotation name, or an error message.
func parseGooseAnnotation(line string) (string, string) {
	if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
		return "", "goose annotation must start the line (no leading whitespace)"
	}
	cmd := strings.ReplaceAll(line, "--", "")
	cmd = strings.Replace(cmd, "+goose", "", 1)
	if strings.Contains(cmd, "+goose") {
		return "", "more than one +goose on one line"
	}
	cmd = strings.TrimSpace(cmd)
	for _, a := range gooseAnnotations {
		if strings.EqualFold(cmd, a) {
			return a, ""
		}
	}
	return "", fmt.Sprintf("unknown goose annotation %q (known: %s)", cmd, strings.Join(gooseAnnotations, ", "))
}

// Dbmate (amacneil/dbmate pkg/dbmate/migration.go): a file is one or more
// sections, each `-- migrate:up [options]` followed by an optional
// `-- migrate:down [options]`. Only blank and comment lines may precede the
// first section. dbmate itself also demands a down block per section; that
// does not change the up SQL, so it is not enforced here.

var dbmateMarker = regexp.MustCompile(`^--\s*migrate:(up|down)(\s.*)?$`)

const (
	dbmateStart = iota
	dbmateUpState
	dbmateDownState
)

func dbmateUp(name string, lines []string) ([]bool, error) {
	kept := make([]bool, len(lines))
	state := dbmateStart
	fail := func(i int, format string, args ...any) ([]bool, error) {
		return nil, &Error{Name: name, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	for i, raw := range lines {
		line := strings.TrimSuffix(raw, "\r")
		t := strings.TrimSpace(line)
		m := dbmateMarker.FindStringSubmatch(line)
		if m == nil {
			if mt := dbmateMarker.FindStringSubmatch(t); mt != nil {
				// dbmate would take it as a comment and run what follows.
				return fail(i, "-- migrate:%s must start the line to count as a dbmate marker", mt[1])
			}
			switch state {
			case dbmateStart:
				if t != "" && !strings.HasPrefix(t, "--") {
					return fail(i, "SQL before -- migrate:up")
				}
			case dbmateUpState:
				kept[i] = true
			}
			continue
		}
		if m[1] == "up" {
			state = dbmateUpState
			continue
		}
		switch state {
		case dbmateStart:
			return fail(i, "-- migrate:down before -- migrate:up")
		case dbmateDownState:
			return fail(i, "second -- migrate:down without a -- migrate:up between")
		}
		state = dbmateDownState
	}
	if state == dbmateStart {
		return nil, &Error{Name: name, Msg: "no -- migrate:up marker"}
	}
	return kept, nil
}

// sql-migrate (rubenv/sql-migrate sqlparse): commands are lines starting
// exactly with "-- +migrate " and are case-sensitive. Up and Down sections
// may come in any order and repeat; lines before the first one are not run.
// Lines starting with "-- +" are never part of a statement.

func sqlMigrateUp(name string, lines []string) ([]bool, error) {
	kept := make([]bool, len(lines))
	const prefix = "-- +migrate "
	inUp, sawUp, sawDir, blockLine := false, false, false, 0
	fail := func(i int, format string, args ...any) ([]bool, error) {
		return nil, &Error{Name: name, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	for i, raw := range lines {
		line := strings.TrimSuffix(raw, "\r")
		if !strings.HasPrefix(line, prefix) {
			if lineAnnotation(line) == SQLMigrate {
				return fail(i, "malformed sql-migrate annotation: it must start the line as \"-- +migrate <command>\"")
			}
			kept[i] = inUp && !strings.HasPrefix(line, "-- +")
			continue
		}
		fields := strings.Fields(line[len(prefix):])
		if len(fields) == 0 {
			return fail(i, "-- +migrate without a command")
		}
		switch fields[0] {
		case "Up", "Down":
			if blockLine > 0 {
				return fail(i, "-- +migrate %s inside the StatementBegin block of line %d", fields[0], blockLine)
			}
			inUp, sawDir = fields[0] == "Up", true
			sawUp = sawUp || inUp
		case "StatementBegin":
			if sawDir {
				blockLine = i + 1
			}
		case "StatementEnd":
			blockLine = 0
		default:
			return fail(i, "unknown sql-migrate command %q (commands are case-sensitive: Up, Down, StatementBegin, StatementEnd)", fields[0])
		}
	}
	if blockLine > 0 {
		return fail(blockLine-1, "-- +migrate StatementBegin without StatementEnd")
	}
	if !sawUp {
		return nil, &Error{Name: name, Msg: "no -- +migrate Up annotation"}
	}
	return kept, nil
}
