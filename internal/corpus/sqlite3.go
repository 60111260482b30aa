package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// NeedSqlite3 skips the test when the sqlite3 shell is missing (Debian's
// sqlite3 package), or fails it when CI=true.
func NeedSqlite3(tb testing.TB) {
	tb.Helper()
	needCommand(tb, "sqlite3")
}

// needCommand skips the test when the command is not on PATH, or fails it
// when CI=true.
func needCommand(tb testing.TB, name string) {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			tb.Fatalf("CI=true and %s is missing: %v", name, err)
		}
		tb.Skipf("%s is missing: %v", name, err)
	}
}

// Sqlite3 runs the shell on the database file db with script on its
// standard input, stopping at the first error.
func Sqlite3(db, script string) (string, error) {
	cmd := exec.Command("sqlite3", "-bail", "-batch", db) // #nosec G204 -- the sqlite3 shell on a test's database file
	cmd.Stdin = strings.NewReader(script)
	var out, msgs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &msgs
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("sqlite3: %v: %s", err, msgs.String())
	}
	return out.String(), nil
}

// Sqlite3JSON runs one query in the shell on db and decodes its rows.
func Sqlite3JSON(db, query string) ([]map[string]any, error) {
	out, err := Sqlite3(db, ".mode json\n"+query+";\n")
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	if strings.TrimSpace(out) == "" {
		return rows, nil
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		return nil, fmt.Errorf("sqlite3 output: %v: %.200s", err, out)
	}
	return rows, nil
}
