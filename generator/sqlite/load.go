// Package sqlite is crudgen's front end for SQLite: SQLite itself is the
// grammar. The statements run in an in-memory database (SQLite compiled to
// Go, so the generator needs no cgo for it), and the catalog is read back
// from sqlite_schema and the pragmas, with what they do not say (CHECKs,
// generated columns, collations, constraint names) from the CREATE text
// SQLite keeps.
package sqlite

import (
	"context"
	"database/sql"
	"regexp"
	"strings"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/dialect"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
)

// Schema is the name of SQLite's main database, the schema of every table.
const Schema = "main"

// Load runs the statements of files, in order, in an empty in-memory
// database and returns the catalog of what they built. A statement SQLite
// refuses is an error at its position; statements that do not shape data
// (INSERT, SELECT, ANALYZE...) are skipped, and so are virtual tables and
// their shadow tables, with a note.
func Load(files []source.File) (*schema.Catalog, error) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx) // one connection: each would have its own database
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	l := &loader{ctx: ctx, conn: conn, cat: &schema.Catalog{Dialect: dialect.SQLite}, virtual: map[string]bool{}, pos: map[string]ddl.Pos{}}
	l.cat.Schemas = []*schema.Schema{{Name: Schema}}
	for _, f := range files {
		stmts, dots := split(f)
		for _, d := range dots {
			l.cat.Notes = append(l.cat.Notes, ddl.Errorf(d.pos, "sqlite3 shell command skipped: %s", d.text))
		}
		for _, s := range stmts {
			if err := l.run(s); err != nil {
				return nil, err
			}
		}
	}
	if err := l.readCatalog(); err != nil {
		return nil, err
	}
	if err := l.readScript(); err != nil {
		return nil, err
	}
	return l.cat, nil
}

type loader struct {
	ctx  context.Context
	conn *sql.Conn
	cat  *schema.Catalog
	// virtual holds the virtual tables left out, lower case, whose shadow
	// tables are left out too.
	virtual map[string]bool
	// pos is where each object was last created, lower case.
	pos map[string]ddl.Pos
}

// run executes one statement, or skips it.
func (l *loader) run(s *statement) error {
	kind := s.word(0)
	switch kind {
	case "CREATE":
		return l.create(s)
	case "ALTER", "DROP", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return l.exec(s)
	case "PRAGMA":
		// Only the pragmas that change what DDL does; the others tune a
		// connection or the file.
		if name := strings.ToLower(strings.TrimPrefix(s.word(1), "MAIN.")); name == "LEGACY_ALTER_TABLE" || name == "FOREIGN_KEYS" {
			return l.exec(s)
		}
	}
	if kind == "" && len(s.tokens) > 0 && s.tokens[0].kind == tokWord {
		kind = strings.ToUpper(s.tok(0))
	}
	l.cat.Skipped = append(l.cat.Skipped, &schema.Skipped{Pos: s.pos, Kind: strings.ToLower(kind)})
	return nil
}

// create executes a CREATE statement, or leaves out temporary objects,
// SQLite's own tables and virtual tables.
func (l *loader) create(s *statement) error {
	i := 1
	if w := s.word(i); w == "TEMP" || w == "TEMPORARY" {
		l.cat.Notes = append(l.cat.Notes, ddl.Errorf(s.pos, "temporary %s skipped: it lasts one connection", strings.ToLower(s.word(i+1))))
		return nil
	}
	if s.word(i) == "UNIQUE" {
		i++
	}
	what := s.word(i)
	name, _ := s.objectName(i + 1)
	lower := strings.ToLower(name)
	switch {
	case what == "TABLE" && strings.HasPrefix(lower, "sqlite_"):
		// .schema prints SQLite's own tables (sqlite_sequence,
		// sqlite_stat1), which SQLite makes itself.
		l.cat.Skipped = append(l.cat.Skipped, &schema.Skipped{Pos: s.pos, Kind: "create table " + name})
		return nil
	case what == "TABLE" && l.shadowOf(lower) != "":
		l.cat.Notes = append(l.cat.Notes, ddl.Errorf(s.pos, "table %s skipped: a shadow table of the virtual table %s", name, l.shadowOf(lower)))
		return nil
	case what == "VIRTUAL" && s.word(i+1) == "TABLE":
		name, next := s.objectName(i + 2)
		if name == "" || s.word(next) != "USING" || next+1 >= len(s.tokens) {
			break // not a statement SQLite accepts: let it say why
		}
		module := strings.ToLower(s.tok(next + 1))
		l.virtual[strings.ToLower(name)] = true
		l.cat.Notes = append(l.cat.Notes, ddl.Errorf(s.pos, "virtual table %s (%s) skipped: crudgen serves tables and views", name, module))
		return nil
	}
	if err := l.exec(s); err != nil {
		return err
	}
	l.pos[lower] = s.pos
	return nil
}

// shadowOf returns the virtual table whose shadow table name is, or "":
// FTS and R*Tree modules keep their data in tables named after them.
func (l *loader) shadowOf(name string) string {
	for v := range l.virtual {
		if strings.HasPrefix(name, v+"_") {
			return v
		}
	}
	return ""
}

// exec runs a statement in the database; SQLite's error becomes an error
// at the statement, or at the token it failed at.
func (l *loader) exec(s *statement) error {
	if _, err := l.conn.ExecContext(l.ctx, s.text); err != nil {
		return l.error(s, err)
	}
	return nil
}

// resultCode is the "(1)" the driver appends to SQLite's messages.
var resultCode = regexp.MustCompile(` \(\d+\)$`)

// error turns SQLite's message into an error at the token the statement
// failed at (SQLite's messages hold none), with a hint when the statement
// looks like another dialect's.
func (l *loader) error(s *statement, err error) *ddl.Error {
	msg := message(err)
	pos := s.pos
	if i := l.failingToken(s); i >= 0 {
		pos = s.at(s.tokens[i].start)
	}
	if hint := s.otherDialect(); hint != "" {
		msg += " (" + hint + ")"
	}
	return &ddl.Error{Pos: pos, Msg: msg}
}

// message is SQLite's message of err, without the driver's decoration.
func message(err error) string {
	return strings.TrimPrefix(resultCode.ReplaceAllString(err.Error(), ""), "SQL logic error: ")
}

// failingToken finds the token a syntax error is at: the first that ends
// a prefix of the statement SQLite cannot parse (a shorter prefix is
// merely incomplete). Prefixes are only prepared, never run. It returns -1
// for errors other than syntax errors.
func (l *loader) failingToken(s *statement) int {
	bad := func(n int) bool {
		stmt, err := l.conn.PrepareContext(l.ctx, s.text[:s.tokens[n-1].end])
		if err == nil {
			_ = stmt.Close()
			return false
		}
		msg := err.Error()
		return strings.Contains(msg, "syntax error") || strings.Contains(msg, "unrecognized token")
	}
	if len(s.tokens) == 0 || !bad(len(s.tokens)) {
		return -1
	}
	lo, hi := 1, len(s.tokens) // the first bad prefix has lo to hi tokens
	for lo < hi {
		mid := (lo + hi) / 2
		if bad(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo - 1
}

// objectName reads the [IF NOT EXISTS] [schema.]name at token i and
// returns the name and the index after it.
func (s *statement) objectName(i int) (string, int) {
	if s.word(i) == "IF" {
		i += 3
	}
	if i >= len(s.tokens) {
		return "", i
	}
	name := unquote(s.tok(i))
	if i+2 < len(s.tokens) && s.tok(i+1) == "." {
		name = unquote(s.tok(i + 2))
		i += 2
	}
	return name, i + 1
}

// otherDialect says which dialect a statement SQLite refused looks like,
// or "".
func (s *statement) otherDialect() string {
	hint := func(other dialect.Dialect, what string) string { return dialect.Hint(dialect.SQLite, other, what) }
	for i, t := range s.tokens {
		w := s.word(i)
		switch {
		case t.kind == tokPunct && s.tok(i) == "::":
			return hint(dialect.Postgres, ":: casts")
		case w == "ENGINE" && i+1 < len(s.tokens) && s.tok(i+1) == "=":
			return hint(dialect.MySQL, "ENGINE=")
		case w == "AUTO_INCREMENT":
			return hint(dialect.MySQL, "AUTO_INCREMENT")
		case i == 1 && (w == "EXTENSION" || w == "SCHEMA" || w == "TYPE" || w == "DOMAIN" || w == "SEQUENCE" || w == "FUNCTION"):
			return hint(dialect.Postgres, "CREATE "+w)
		case t.kind == tokVariable && strings.HasPrefix(s.tok(i), "$$"):
			return hint(dialect.Postgres, "$$ quoting")
		}
	}
	return ""
}
