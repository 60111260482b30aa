package model

import (
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/schema"
)

// sqliteType maps a column type declared in a SQLite schema to the
// PostgreSQL type whose Go type, JSON form and rules it shares, so that
// one type map serves both engines. The names people write come first
// (BOOLEAN, DATE, DATETIME, DECIMAL(p,s), JSON, UUID, VARCHAR(n)); other
// names go by SQLite's affinity rules (https://sqlite.org/datatype3.html,
// 3.1): INT anywhere is an integer, CHAR, CLOB or TEXT text, BLOB or no
// type a blob, REAL, FLOA or DOUB a real, anything else numeric.
func sqliteType(t schema.Type) schema.Type {
	name, mods := declaredName(t.Name)
	builtin := func(pg string, mods ...int64) schema.Type {
		return schema.Type{Kind: schema.Builtin, Schema: "pg_catalog", Name: pg, Mods: mods}
	}
	switch name {
	case "BOOLEAN", "BOOL":
		return builtin("bool")
	case "DATE":
		return builtin("date")
	case "DATETIME", "TIMESTAMP":
		return builtin("timestamptz") // stored in UTC
	case "TIME":
		return builtin("time")
	case "UUID":
		return builtin("uuid")
	case "JSON", "JSONB":
		return builtin("json") // text, kept as written
	case "DECIMAL", "NUMERIC":
		return builtin("numeric", mods...)
	case "VARCHAR", "CHARACTER VARYING", "VARYING CHARACTER", "NVARCHAR", "NATIVE CHARACTER", "NCHAR", "CHAR", "CHARACTER":
		if len(mods) == 1 && mods[0] > 0 {
			return builtin("varchar", mods[0]) // SQLite keeps longer text: the API refuses it
		}
		return builtin("text")
	}
	switch {
	case strings.Contains(name, "INT"):
		return builtin("int8")
	case strings.Contains(name, "CHAR"), strings.Contains(name, "CLOB"), strings.Contains(name, "TEXT"):
		return builtin("text")
	case strings.Contains(name, "BLOB"):
		return builtin("bytea")
	case name == "":
		// No type: any value. Text carries what the others write.
		return builtin("text")
	case strings.Contains(name, "REAL"), strings.Contains(name, "FLOA"), strings.Contains(name, "DOUB"):
		return builtin("float8")
	}
	// NUMERIC affinity under another name (MONEY, STRING): read as text,
	// which every value SQLite stores has.
	return builtin("text")
}

// declaredName splits a declared type such as "varchar (255)" into its
// name in upper case with single spaces, and its numeric modifiers.
func declaredName(s string) (string, []int64) {
	name, args, _ := strings.Cut(s, "(")
	name = strings.ToUpper(strings.Join(strings.Fields(name), " "))
	var mods []int64
	args, _, _ = strings.Cut(args, ")")
	for a := range strings.SplitSeq(args, ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(a), 10, 64); err == nil {
			mods = append(mods, n)
		}
	}
	return name, mods
}
