package sweep

import (
	"fmt"
	"strings"
)

// hostileSchema is SQL written to trip a generator: Go keywords and
// predeclared names, names that collide after conversion, quoted names with
// spaces and punctuation, non-ASCII names, 63-byte names, columns named like
// query parameters, the widest table PostgreSQL allows, circular and
// self-referencing foreign keys, several foreign keys to one parent.
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
`)
	// The widest table: 1600 columns.
	b.WriteString("CREATE TABLE wide (id int PRIMARY KEY")
	for i := 1; i < 1600; i++ {
		fmt.Fprintf(&b, ", c%d int", i)
	}
	b.WriteString(");\n")
	return b.String()
}
