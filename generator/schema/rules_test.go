package schema_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/corpus"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

const rulesSQL = `
CREATE TABLE payment (id serial PRIMARY KEY, d date NOT NULL);
CREATE TABLE payment_2007 (CHECK (d >= '2007-01-01')) INHERITS (payment);
-- Partitioning by rules, as sakila does: a conditional INSTEAD.
CREATE RULE payment_2007 AS ON INSERT TO payment WHERE new.d >= '2007-01-01'
    DO INSTEAD INSERT INTO payment_2007 VALUES (new.*);
CREATE TABLE muted (id int PRIMARY KEY, v text);
CREATE RULE no_update AS ON UPDATE TO muted DO INSTEAD NOTHING;
CREATE RULE audit AS ON DELETE TO muted DO ALSO NOTHING;
CREATE RULE gone AS ON DELETE TO muted DO INSTEAD NOTHING;
DROP RULE gone ON muted;
DROP RULE IF EXISTS never ON muted;
-- An unconditional INSTEAD with RETURNING keeps RETURNING working.
CREATE TABLE redirected (id int PRIMARY KEY, v text);
CREATE RULE to_muted AS ON INSERT TO redirected
    DO INSTEAD INSERT INTO muted VALUES (new.id, new.v) RETURNING muted.*;
-- Replaced: the table's UPDATE rule stops being INSTEAD.
CREATE TABLE replaced (id int PRIMARY KEY, v text);
CREATE RULE r AS ON UPDATE TO replaced DO INSTEAD NOTHING;
CREATE OR REPLACE RULE r AS ON UPDATE TO replaced DO ALSO NOTHING;
-- Renamed rules keep their effect.
CREATE TABLE renamed (id int PRIMARY KEY);
CREATE RULE before AS ON DELETE TO renamed DO INSTEAD NOTHING;
ALTER RULE before ON renamed RENAME TO after;
`

// TestRulesRefuseReturningAsPostgreSQLDoes asks PostgreSQL, through EXPLAIN
// (which rewrites without running), whether each table accepts INSERT,
// UPDATE and DELETE with RETURNING, and compares with the catalog.
func TestRulesRefuseReturningAsPostgreSQLDoes(t *testing.T) {
	files := []source.File{{Name: "rules.sql", Text: rulesSQL}}
	cases := map[string][]source.File{"rules.sql": files}
	for _, e := range corpus.Entries(t) {
		if e.Name == "sakila_jooq" {
			src, err := e.Sources()
			require.NoError(t, err)
			cases[e.Name] = src
		}
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := ddl.Parse(files, ddl.Options{})
			require.NoError(t, err)
			cat, err := schema.Build(res)
			require.NoError(t, err)
			url := pgtest.Fresh(t)
			_, err = corpus.LoadSQL(t, url, files, nil, nil, true)
			require.NoError(t, err)
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, url)
			require.NoError(t, err)
			defer conn.Close(ctx)
			refusing := 0
			for _, tb := range cat.Tables {
				if tb.IsView() {
					continue
				}
				col := ddl.QuoteIdent(tb.Columns[0].Name)
				for event, stmt := range map[string]string{
					"INSERT": "INSERT INTO %s DEFAULT VALUES RETURNING *",
					"UPDATE": "UPDATE %s SET " + col + " = " + col + " RETURNING *",
					"DELETE": "DELETE FROM %s RETURNING *",
				} {
					_, err := conn.Exec(ctx, "EXPLAIN "+fmt.Sprintf(stmt, tb.QualifiedName()))
					refused := err != nil && strings.Contains(err.Error(), "cannot perform "+event+" RETURNING")
					if err != nil && !refused {
						t.Fatalf("%s %s: %v", event, tb.QualifiedName(), err)
					}
					if refused {
						refusing++
					}
					assert.Equal(t, refused, tb.ReturningRefused(event) != nil, "%s ... RETURNING on %s", event, tb.QualifiedName())
				}
			}
			assert.NotZero(t, refusing)
		})
	}
}
