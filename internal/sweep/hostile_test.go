package sweep

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
)

// TestHostile generates the API of the hostile schema (twice, for the same
// bytes), checks it with go build, go vet and staticcheck, and runs the
// round trip of each keyed table against the schema loaded into
// PostgreSQL. It needs no corpus.
func TestHostile(t *testing.T) {
	t.Parallel() // the sweeps overlap one's builds with another's round trips
	hostile := &subject{name: "hostile", engine: postgresEngine, sql: hostileSchema()}
	require.True(t, generate(t, hostile, []source.File{{Name: "hostile.sql", Text: hostile.sql}}, nil))
	// Every operation has a route and an id of its own (the same foreign
	// key twice once gave two child lists one route).
	routes, ids := map[string]bool{}, map[string]bool{}
	for _, r := range hostile.pkg.Resources {
		for _, op := range r.Ops {
			require.False(t, routes[op.Method+" "+op.Path], "two operations at %s %s", op.Method, op.Path)
			require.False(t, ids[op.OperationID], "two operations %s", op.OperationID)
			routes[op.Method+" "+op.Path], ids[op.OperationID] = true, true
		}
		for _, n := range r.Nested {
			require.False(t, routes["GET "+n.Path], "two operations at GET %s", n.Path)
			require.False(t, ids[n.OperationID], "two operations %s", n.OperationID)
			routes["GET "+n.Path], ids[n.OperationID] = true, true
		}
	}
	check(t, postgresEngine, []*subject{hostile})
}

// Tables that would take a route crudgen serves itself are refused with
// an error that names them and says what to do.
func TestHostileRoutes(t *testing.T) {
	for _, table := range []string{"docs", "metrics", "doc", "metric"} {
		res, err := ddl.Parse([]source.File{{Name: "routes.sql", Text: "CREATE TABLE " + table + " (id int PRIMARY KEY);"}}, ddl.Options{})
		require.NoError(t, err)
		cat, err := schema.Build(res)
		require.NoError(t, err)
		_, err = generator.Generate(&generator.Loaded{Catalog: cat}, generator.GenerateOptions{})
		require.ErrorContains(t, err, "table public."+table+" would be served at /", table)
		require.ErrorContains(t, err, "which crudgen serves itself; rename its route in the configuration", table)
	}
}

// hostileSchema is SQL written to trip a generator: Go keywords and
// predeclared names, names that collide after conversion, quoted names with
// spaces and punctuation, non-ASCII names, 63-byte names, columns named like
// query parameters, the widest table PostgreSQL allows, circular and
// self-referencing foreign keys, several foreign keys to one parent,
// multi-dimensional arrays, names of the identifiers generated code
// declares, tables named like views and enums, and Go keywords as enum
// labels.
func hostileSchema() string {
	var b strings.Builder
	b.WriteString(`
CREATE TABLE "type" ("func" int PRIMARY KEY, "go" text, "map" text, "chan" int, "interface" text, "len" int, "nil" text, "error" text, "string" text);
CREATE TABLE users (id int PRIMARY KEY, user_id int, "userId" int, "UserID" int, "user id" text);
CREATE TABLE "user" (id int PRIMARY KEY, name text);
CREATE TABLE "Users" (id int PRIMARY KEY);
CREATE TABLE "with spaces, and: punctuation!" ("a column" int PRIMARY KEY, "x-y" text, "100%" int, "a""quote" text, "back` + "`" + `tick" text, "slash/and\backslash" text);
CREATE SCHEMA "SPECIAL ""@/\#~_-";
CREATE TABLE "SPECIAL ""@/\#~_-"."odd table" (k text PRIMARY KEY, v text);
CREATE SCHEMA تست;
CREATE TABLE تست.تست (تست int PRIMARY KEY, "2fa" text, "ümlaut" text);
CREATE TABLE reserved (id int PRIMARY KEY, "limit" int, "cursor" text, "offset" int, "sort" text, "count" int, "include" text, ctx text, err text, req text, row text);
CREATE TABLE long_names_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (
    id_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb int PRIMARY KEY,
    value_ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc text UNIQUE);
-- Circular foreign keys (nullable) and a self reference.
CREATE TABLE chicken (id int PRIMARY KEY, egg_id int);
CREATE TABLE egg (id int PRIMARY KEY, chicken_id int REFERENCES chicken);
ALTER TABLE chicken ADD FOREIGN KEY (egg_id) REFERENCES egg;
CREATE TABLE node (id int PRIMARY KEY, parent_id int REFERENCES node, next_id int REFERENCES node);
-- Several foreign keys to one parent.
CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE marriage (id int PRIMARY KEY, spouse_a int NOT NULL REFERENCES person, spouse_b int NOT NULL REFERENCES person, witness int REFERENCES person);
-- The same foreign key twice, and a self reference twice.
CREATE TABLE twice (id int PRIMARY KEY, person_id int REFERENCES person, parent int,
    FOREIGN KEY (person_id) REFERENCES person, FOREIGN KEY (parent) REFERENCES twice, FOREIGN KEY (parent) REFERENCES twice);
-- Multi-dimensional arrays, with and without declared dimensions, of
-- scalars, enums, domains and types with modifiers.
CREATE TYPE "func" AS ENUM ('type', 'func', 'select', 'nil', 'true', 'Type', 'TYPE', 'a-b', 'a_b', 'a b', ' ', 'ümlaut', 'تست', '1st', 'Valid', 'valid', 'string', 'len');
CREATE DOMAIN small AS int CHECK (VALUE < 100);
CREATE TABLE matrix (id int PRIMARY KEY, grid int[][], words text[][], fixed int[3][3], cube numeric(10,2)[][][],
    labels varchar(5)[][] NOT NULL DEFAULT '{}', stamps timestamptz[][], funcs "func"[][], smalls small[][], flags bool ARRAY[2], blobs bytea[][]);
-- Names of what generated code declares: the router, its options and
-- store, handler and request types of other tables, methods of rows and
-- requests, the runtime package, local variables.
CREATE TABLE router (id int PRIMARY KEY, options text, store text, handler text, routes text, validate text, decode_json text,
    "DecodeJSON" text, append_json text, marshal_json text, scan_index text, "Valid" text, db text, new_router text, insert text, match_key text);
CREATE TABLE options (id int PRIMARY KEY, "Options" text);
CREATE TABLE store (id int PRIMARY KEY);
CREATE TABLE handler (id int PRIMARY KEY);
CREATE TABLE dbtx (id int PRIMARY KEY);
CREATE TABLE new_router (id int PRIMARY KEY);
CREATE TABLE runtime (runtime int PRIMARY KEY, chi text, pgx text, http text, json text);
CREATE TABLE user_store (id int PRIMARY KEY);
CREATE TABLE create_user_request (id int PRIMARY KEY);
CREATE TABLE user_handler (id int PRIMARY KEY);
CREATE TABLE open_api_document (id int PRIMARY KEY);
CREATE TABLE not_found (id int PRIMARY KEY);
CREATE TABLE locals (ctx int, w int, r int, err int, errs int, v int, ok int, q int, "limit" int, PRIMARY KEY (ctx, w, r, err, errs, v, ok, q, "limit"));
CREATE TABLE more_locals (store int, old int, f int, page int, c int, inserted int, sql int, scope int, match int, gets int,
    args int, upsert int, reqs int, many int, last int, n int, tx int, id int, key int, "row" int, rows int, suffix int, opts int,
    PRIMARY KEY (store, old, f, page, c, inserted, sql, scope, match, gets, args, upsert, reqs, many, last, n, tx, id, key, "row", rows, suffix, opts));
CREATE TABLE more_locals_child (child_id int PRIMARY KEY, store int, old int, f int, page int, c int, inserted int, sql int, scope int, match int, gets int,
    args int, upsert int, reqs int, many int, last int, n int, tx int, id int, key int, "row" int, rows int, suffix int, opts int,
    FOREIGN KEY (store, old, f, page, c, inserted, sql, scope, match, gets, args, upsert, reqs, many, last, n, tx, id, key, "row", rows, suffix, opts) REFERENCES more_locals);
CREATE TABLE "_" ("_" int PRIMARY KEY, "__" text, x text);
CREATE TABLE test (id int PRIMARY KEY);
CREATE TABLE init (init int PRIMARY KEY, main text);
-- A table and a view, a table and an enum, a view and an enum, with the
-- same converted name; an enum named like generated code.
CREATE TABLE item (id int PRIMARY KEY, name text);
CREATE VIEW items AS SELECT * FROM item;
CREATE TYPE status AS ENUM ('open', 'closed');
CREATE TABLE statuses (id int PRIMARY KEY, status status);
CREATE TYPE colour AS ENUM ('red');
CREATE VIEW colours AS SELECT 1 AS id;
CREATE TYPE options_kind AS ENUM ('store', 'handler');
CREATE TABLE options_kinds (id int PRIMARY KEY, kind options_kind);
CREATE TYPE "Options" AS ENUM ('a');
CREATE TYPE nothing AS ENUM ();
CREATE TABLE "error" (id int PRIMARY KEY, "string" text, "any" nothing, "nothings" nothing[]);
CREATE TABLE "string" (id int PRIMARY KEY);
CREATE TABLE "any" (id int PRIMARY KEY);
CREATE TABLE people (id int PRIMARY KEY);
CREATE SCHEMA "user";
CREATE TABLE "user".s (id int PRIMARY KEY);
CREATE TABLE user_s (id int PRIMARY KEY);
-- No columns; only columns no request carries.
CREATE TABLE empty ();
CREATE TABLE auto (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at date GENERATED ALWAYS AS ('2020-01-01'::date) STORED);
-- Names longer than 63 bytes, which PostgreSQL cuts, in two-byte letters.
CREATE TABLE "ééééééééééééééééééééééééééééééééééééééééé" ("ééééééééééééééééééééééééééééééééééééééééé" int PRIMARY KEY);
`)
	// The widest table: 1600 columns.
	b.WriteString("CREATE TABLE wide (id int PRIMARY KEY")
	for i := 1; i < 1600; i++ {
		fmt.Fprintf(&b, ", c%d int", i)
	}
	b.WriteString(");\n")
	return b.String()
}
