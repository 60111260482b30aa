// Package dialect names the database engines whose SQL crudgen reads:
// each has a front end that turns its DDL into the same catalog, and the
// model makes every engine-dependent decision from the catalog's dialect.
package dialect

import "fmt"

// Dialect is a database engine's SQL.
type Dialect string

// The dialects. Postgres is the default.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
	MySQL    Dialect = "mysql"
)

// All lists the dialects, the default first.
var All = []Dialect{Postgres, SQLite, MySQL}

// Parse returns the dialect named s; "" is Postgres.
func Parse(s string) (Dialect, error) {
	if s == "" {
		return Postgres, nil
	}
	for _, d := range All {
		if string(d) == s {
			return d, nil
		}
	}
	return "", fmt.Errorf("%q is not a dialect: postgres, sqlite or mysql", s)
}

// Name is the engine's name, for messages: PostgreSQL, SQLite, MySQL.
func (d Dialect) Name() string {
	switch d {
	case SQLite:
		return "SQLite"
	case MySQL:
		return "MySQL"
	}
	return "PostgreSQL"
}

// Hint says that SQL read as dialect d looks like dialect other's, shown
// by what, and how to choose other: for the errors of statements a front
// end cannot read.
func Hint(d, other Dialect, what string) string {
	return fmt.Sprintf("this looks like %s (%s), and the dialect is %s: use --dialect %s, or dialect: %s in crudgen.yaml",
		other.Name(), what, d, other, other)
}
