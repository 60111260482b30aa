package sqlite

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
)

func load(t *testing.T, sql ...string) (*schema.Catalog, error) {
	t.Helper()
	var files []source.File
	for i, s := range sql {
		files = append(files, source.File{Name: []string{"a.sql", "b.sql", "c.sql"}[i], Text: s})
	}
	return Load(files)
}

func TestSplit(t *testing.T) {
	text := "CREATE TABLE a (x TEXT DEFAULT ';'); -- a comment; still\n" +
		"/* ; */ CREATE TABLE \"b;\" ([c;] INT, `d;` INT);\n" +
		".mode list\n" +
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 'y;';\n  DELETE FROM a;\nEND;\n" +
		"CREATE TEMP TRIGGER u AFTER DELETE ON a BEGIN SELECT 1; END ;\n" +
		"SELECT 'last' -- no semicolon"
	stmts, dots := split(source.File{Name: "s.sql", Text: text})
	var got []string
	for _, s := range stmts {
		got = append(got, s.pos.String()+" "+s.text)
	}
	assert.Equal(t, []string{
		"s.sql:1:1 CREATE TABLE a (x TEXT DEFAULT ';')",
		"s.sql:2:9 CREATE TABLE \"b;\" ([c;] INT, `d;` INT)",
		"s.sql:4:1 CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 'y;';\n  DELETE FROM a;\nEND",
		"s.sql:8:1 CREATE TEMP TRIGGER u AFTER DELETE ON a BEGIN SELECT 1; END",
		"s.sql:9:1 SELECT 'last'",
	}, got)
	require.Len(t, dots, 1)
	assert.Equal(t, "s.sql:3:1 .mode list", dots[0].pos.String()+" "+dots[0].text)
}

func TestLoad(t *testing.T) {
	cat, err := load(t, `
CREATE TABLE authors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name VARCHAR(100) NOT NULL CONSTRAINT name_not_empty CHECK (length(name) > 0),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),
  score REAL CHECK (score BETWEEN 0 AND 10),
  code TEXT CHECK (code GLOB '[A-Z]*'),
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE [posts] (
  "id" INTEGER NOT NULL,
  `+"`author_id`"+` INTEGER REFERENCES authors ON DELETE CASCADE,
  title TEXT,
  slug TEXT GENERATED ALWAYS AS (lower(title)) STORED,
  words INT AS (length(title) - length(replace(title, ' ', '')) + 1),
  CONSTRAINT posts_pk PRIMARY KEY (id),
  CONSTRAINT posts_editor FOREIGN KEY (author_id, title) REFERENCES authors (id, name) ON UPDATE SET NULL
) STRICT;
CREATE TABLE tags (name TEXT PRIMARY KEY, n INT) WITHOUT ROWID;
CREATE UNIQUE INDEX posts_title ON posts (title) WHERE title IS NOT NULL;
CREATE UNIQUE INDEX tags_lower ON tags (lower(name));
CREATE UNIQUE INDEX tags_n ON tags (n);
CREATE VIEW author_names AS SELECT id, name FROM authors;
CREATE TABLE gone (x);
DROP TABLE gone;
CREATE TABLE later (a INTEGER);
ALTER TABLE later ADD COLUMN b TEXT NOT NULL DEFAULT 'x';
ALTER TABLE later RENAME COLUMN a TO c;
ALTER TABLE later RENAME TO renamed;
INSERT INTO tags VALUES ('go', 1);
CREATE TABLE sqlite_sequence(name,seq);
CREATE TEMP TABLE scratch (x);
CREATE VIRTUAL TABLE search USING fts4(body);
CREATE TABLE search_content (docid INTEGER PRIMARY KEY, c0body);
CREATE TABLE orphans (id INTEGER PRIMARY KEY, ghost_id INTEGER REFERENCES ghosts (id));
`)
	require.NoError(t, err)
	var names []string
	for _, tb := range cat.Tables {
		names = append(names, string(tb.Kind)+" "+tb.Name)
	}
	assert.Equal(t, []string{"table authors", "table posts", "table tags", "view author_names", "table renamed", "table orphans"}, names)

	authors := cat.Tables[0]
	id := authors.Column("id")
	assert.Equal(t, schema.Type{Kind: schema.Declared, Name: "INTEGER"}, id.Type)
	assert.True(t, id.NotNull, "a rowid alias is never NULL")
	assert.Equal(t, "by_default", id.Identity)
	assert.Equal(t, "NOCASE", authors.Column("email").Collation)
	assert.Equal(t, "'active'", authors.Column("status").DefaultText())
	assert.Equal(t, "CURRENT_TIMESTAMP", authors.Column("created").DefaultText())
	assert.Equal(t, []string{"email"}, authors.Unique[0].ColumnNames())
	require.Len(t, authors.Checks, 4)
	assert.Equal(t, "name_not_empty", authors.Checks[0].Name)
	assert.Equal(t, "length(name) > 0", authors.Checks[0].Expr.Text)
	assert.Equal(t, ddl.ExprOp, authors.Checks[0].Expr.Kind)
	assert.Equal(t, ddl.ExprIn, authors.Checks[1].Expr.Kind)
	assert.Equal(t, ddl.ExprBetween, authors.Checks[2].Expr.Kind)
	assert.Equal(t, ddl.ExprOther, authors.Checks[3].Expr.Kind, "GLOB is SQLite's alone")
	assert.Equal(t, "code GLOB '[A-Z]*'", authors.Checks[3].Expr.Text)

	posts := cat.Tables[1]
	assert.Equal(t, "posts_pk", posts.PrimaryKey.Name)
	assert.Equal(t, "by_default", posts.Column("id").Identity, "PRIMARY KEY (id) makes an INTEGER column the rowid too")
	assert.Equal(t, "stored", posts.Column("slug").Generated)
	assert.Equal(t, "lower(title)", posts.Column("slug").GeneratedExpr.Text)
	assert.Equal(t, "virtual", posts.Column("words").Generated)
	require.Len(t, posts.ForeignKeys, 2)
	fk := posts.ForeignKeys[0]
	assert.Equal(t, []string{"author_id"}, columnNames(fk.Columns))
	assert.Equal(t, []string{"id"}, columnNames(fk.RefColumns), "REFERENCES authors: its primary key")
	assert.Equal(t, "cascade", fk.OnDelete)
	assert.Equal(t, "no_action", fk.OnUpdate)
	assert.Equal(t, "posts_editor", posts.ForeignKeys[1].Name)
	assert.Equal(t, "set_null", posts.ForeignKeys[1].OnUpdate)
	require.Len(t, posts.UniquePartial, 1)
	assert.Equal(t, schema.PartialUnique{Name: "posts_title", Columns: []string{"title"}, Where: "title IS NOT NULL"}, *posts.UniquePartial[0])

	tags := cat.Tables[2]
	assert.Equal(t, []string{"name"}, tags.PrimaryKey.ColumnNames())
	assert.Empty(t, tags.Column("name").Identity, "WITHOUT ROWID: no rowid alias")
	require.Len(t, tags.Unique, 1)
	assert.Equal(t, []string{"n"}, tags.Unique[0].ColumnNames())
	assert.Equal(t, []string{"(expression)"}, tags.UniquePartial[0].Columns)

	renamed := cat.Tables[4]
	assert.Equal(t, []string{"c", "b"}, columnNames(renamed.Columns))
	assert.True(t, renamed.Column("b").NotNull)

	assert.Empty(t, cat.Tables[5].ForeignKeys)
	var notes []string
	for _, n := range cat.Notes {
		notes = append(notes, n.Error())
	}
	assert.Equal(t, []string{
		"a.sql:33:1: temporary table skipped: it lasts one connection",
		"a.sql:34:1: virtual table search (fts4) skipped: crudgen serves tables and views",
		"a.sql:35:1: table search_content skipped: a shadow table of the virtual table search",
		"a.sql:36:1: table orphans: foreign key (ghost_id) left out: it references ghosts, which is not a table",
	}, notes)
	var skipped []string
	for _, s := range cat.Skipped {
		skipped = append(skipped, s.Pos.String()+" "+s.Kind)
	}
	assert.Equal(t, []string{"a.sql:31:1 insert", "a.sql:32:1 create table sqlite_sequence"}, skipped)
}

func columnNames(cols []*schema.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{[]string{"CREATE TABLE a (x INT);\n\nCREATE TABLE b (\n  y INT,, z INT\n);"}, `a.sql:4:9: near ",": syntax error`},
		{[]string{"CREATE TABLE a (x INT);", "ALTER TABLE nope ADD COLUMN y INT;"}, "b.sql:1:1: no such table: nope"},
		{[]string{"CREATE TABLE a (x INT);\nCREATE TABLE a (y INT);"}, "a.sql:2:1: table a already exists"},
		{[]string{"CREATE TABLE t (id serial, at timestamp DEFAULT now()::date);"}, `a.sql:1:52: near "(": syntax error (this looks like PostgreSQL (:: casts), and the dialect is sqlite: use --dialect postgres, or dialect: postgres in crudgen.yaml)`},
		{[]string{"CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;"}, `a.sql:1:58: near "=": syntax error (this looks like MySQL (AUTO_INCREMENT), and the dialect is sqlite: use --dialect mysql, or dialect: mysql in crudgen.yaml)`},
		{[]string{"CREATE EXTENSION citext;"}, `a.sql:1:8: near "EXTENSION": syntax error (this looks like PostgreSQL (CREATE EXTENSION), and the dialect is sqlite: use --dialect postgres, or dialect: postgres in crudgen.yaml)`},
	} {
		_, err := load(t, tc.files...)
		require.Error(t, err, "%q", tc.files)
		assert.Equal(t, tc.want, err.Error())
		var de *ddl.Error
		assert.ErrorAs(t, err, &de)
	}
}

func TestParseCreateTable(t *testing.T) {
	tt := parseCreateTable(`CREATE TABLE IF NOT EXISTS "x" (
		a INTEGER CONSTRAINT a_pk PRIMARY KEY DESC AUTOINCREMENT,
		b TEXT COLLATE "RTRIM" CHECK (b <> '') CONSTRAINT b_ok CHECK (length(b) < 5),
		c DECIMAL(10, 2) DEFAULT (1 + 2) GENERATED ALWAYS AS (a * 2) VIRTUAL,
		CHECK (a > 0 AND (b = 'x' OR b = 'y')),
		CONSTRAINT fk FOREIGN KEY (b) REFERENCES "other" ("id")
	) WITHOUT ROWID, STRICT`)
	assert.Equal(t, "a_pk", tt.pkName)
	assert.Equal(t, "RTRIM", tt.columns["b"].collation)
	assert.Equal(t, &columnText{generated: "virtual", genExpr: "a * 2"}, tt.columns["c"])
	var checks []string
	for _, c := range tt.checks {
		checks = append(checks, c.name+": "+c.expr)
	}
	assert.Equal(t, []string{": b <> ''", "b_ok: length(b) < 5", ": a > 0 AND (b = 'x' OR b = 'y')"}, checks)
	assert.Equal(t, []foreignKeyText{{name: "fk", columns: []string{"b"}, ref: "other"}}, tt.foreignKeys)
	assert.Empty(t, parseCreateTable("CREATE TABLE t AS SELECT 1 AS x").columns)
}

func TestPGSpelling(t *testing.T) {
	assert.Equal(t, `"a b" = 1 AND c = 'x'`, pgSpelling("[a b] == 1 AND `c` == 'x'"))
	e := expr("[kind] IN ('a','b')", ddl.Pos{})
	assert.Equal(t, ddl.ExprIn, e.Kind)
	assert.Equal(t, "[kind] IN ('a','b')", e.Text, "the text stays as written")
	assert.True(t, strings.HasPrefix(expr("x GLOB 'a*'", ddl.Pos{}).Text, "x GLOB"))
}
