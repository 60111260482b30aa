package source

import (
	"fmt"
	"strings"
)

// Version numbers are compared as digit strings, so no name can overflow
// an integer type (sql-migrate itself panics past int64).

// leadingDigits returns the ASCII digits s starts with.
func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// trimZeros drops leading zeros from a digit string, keeping "0".
func trimZeros(d string) string {
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return "0"
	}
	return d
}

// cmpDigits compares two digit strings as numbers.
func cmpDigits(a, b string) int {
	a, b = trimZeros(a), trimZeros(b)
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// cmpParts compares dotted versions part by part, missing parts counting
// as 0 (Flyway's MigrationVersion.compareTo), so 1.10 follows 1.9 and 1.0
// equals 1.
func cmpParts(a, b []string) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := "0", "0"
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmpDigits(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// versionKey is the canonical spelling of a dotted version: equal versions
// get equal keys.
func versionKey(parts []string) string {
	n := len(parts)
	for n > 1 && trimZeros(parts[n-1]) == "0" {
		n--
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = trimZeros(parts[i])
	}
	return strings.Join(keys, ".")
}

// flywayName is a parsed Flyway file name: kind is 'V' (versioned), 'R'
// (repeatable), 'U' (undo), 'B' (baseline), or 0 for any other name.
type flywayName struct {
	kind  byte
	parts []string
	desc  string
}

// parseFlyway parses <prefix><version>__<description>.sql. A name that is
// clearly meant for Flyway but has a bad version is an error, as in Flyway.
func parseFlyway(name string) (flywayName, error) {
	stem, ok := strings.CutSuffix(name, ".sql")
	if !ok || stem == "" {
		return flywayName{}, nil
	}
	kind, rest := stem[0], stem[1:]
	version, desc, ok := strings.Cut(rest, "__")
	if !ok {
		return flywayName{}, nil
	}
	desc = strings.ReplaceAll(desc, "_", " ")
	switch kind {
	case 'R':
		if version != "" {
			return flywayName{}, nil
		}
		return flywayName{kind: kind, desc: desc}, nil
	case 'V', 'U', 'B':
		if leadingDigits(version) == "" {
			return flywayName{}, nil
		}
	default:
		return flywayName{}, nil
	}
	// Flyway reads "_" in a version as ".".
	parts := strings.Split(strings.ReplaceAll(version, "_", "."), ".")
	for _, p := range parts {
		if p == "" || leadingDigits(p) != p {
			return flywayName{kind: kind}, fmt.Errorf("invalid Flyway version %q: only digits separated by . or _ are allowed", version)
		}
	}
	return flywayName{kind: kind, parts: parts, desc: desc}, nil
}
