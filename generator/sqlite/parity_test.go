package sqlite

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/internal/corpus"
)

// TestParityWithSqlite3 loads every SQLite entry of the corpus twice:
// through Load, and into a database file with the sqlite3 shell (Debian's,
// SQLite 3.40; Load runs 3.54). What the shell's pragmas report about the
// file must be what the catalog says: tables and views in order, columns
// with their declared types and NOT NULL, primary keys, unique indexes
// and foreign keys with their actions; and every CHECK of the stored
// CREATE text must be in the catalog. Virtual tables and their shadow
// tables, which Load leaves out, are left out on both sides.
func TestParityWithSqlite3(t *testing.T) {
	corpus.NeedSqlite3(t)
	for _, e := range corpus.SQLiteEntries(t) {
		t.Run(e.Name, func(t *testing.T) {
			files, err := e.Sources()
			require.NoError(t, err)
			cat, err := Load(files)
			require.NoError(t, err)

			db := filepath.Join(t.TempDir(), "corpus.db")
			var script strings.Builder
			for _, p := range e.Paths {
				fmt.Fprintf(&script, ".read '%s'\n", strings.ReplaceAll(p, "'", "''"))
			}
			_, err = corpus.Sqlite3(db, script.String())
			require.NoError(t, err)

			want, checks := shellCatalog(t, db)
			assert.Equal(t, want, describe(cat))
			for table, stored := range checks {
				n := 0
				for _, tb := range cat.Tables {
					if tb.Name != table {
						continue
					}
					for _, k := range tb.Checks {
						assert.Contains(t, stored.sql, k.Expr.Text, "%s: CHECK %s", table, k.Expr.Text)
						n++
					}
				}
				assert.Equal(t, stored.count, n, "%s: the CHECKs of %s", table, stored.sql)
			}
		})
	}
}

// describe lists what the parity compares, one line a fact, tables in
// order and each table's keys sorted.
func describe(cat *schema.Catalog) []string {
	var out []string
	for _, t := range cat.Tables {
		out = append(out, fmt.Sprintf("%s %s", t.Kind, t.Name))
		for _, c := range t.Columns {
			out = append(out, fmt.Sprintf("  column %s %q not null %v", c.Name, c.Type.Name, c.NotNull))
		}
		var keys []string
		if t.PrimaryKey != nil {
			keys = append(keys, fmt.Sprintf("  primary key (%s)", strings.Join(t.PrimaryKey.ColumnNames(), ", ")))
		}
		for _, k := range t.Unique {
			keys = append(keys, fmt.Sprintf("  unique (%s)", strings.Join(k.ColumnNames(), ", ")))
		}
		for _, k := range t.UniquePartial {
			keys = append(keys, fmt.Sprintf("  unique partial (%s)", strings.Join(k.Columns, ", ")))
		}
		for _, fk := range t.ForeignKeys {
			var from, to []string
			for i := range fk.Columns {
				from = append(from, fk.Columns[i].Name)
				to = append(to, fk.RefColumns[i].Name)
			}
			keys = append(keys, fmt.Sprintf("  foreign key (%s) references %s (%s) on delete %s on update %s",
				strings.Join(from, ", "), fk.Ref.Name, strings.Join(to, ", "), fk.OnDelete, fk.OnUpdate))
		}
		sort.Strings(keys)
		out = append(out, keys...)
	}
	return out
}

// storedChecks are the CHECK constraints a table's stored CREATE text
// holds, counted without reading the text as Load does.
type storedChecks struct {
	sql   string
	count int
}

var (
	sqlString  = regexp.MustCompile(`'(?:[^']|'')*'`)
	checkStart = regexp.MustCompile(`(?i)\bCHECK\s*\(`)
)

// shellCatalog asks the sqlite3 shell about the database file db and
// describes it as describe does.
func shellCatalog(t *testing.T, db string) ([]string, map[string]storedChecks) {
	t.Helper()
	query := func(q string) []map[string]any {
		rows, err := corpus.Sqlite3JSON(db, q)
		require.NoError(t, err, q)
		return rows
	}
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	objects := query(`SELECT s.type, s.name, s.sql, t.wr FROM sqlite_schema s
		JOIN pragma_table_list t ON t.name = s.name AND t.schema = 'main'
		WHERE s.type IN ('table', 'view') AND t.type IN ('table', 'view') AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY s.rowid`)
	checks := map[string]storedChecks{}
	var out []string
	for _, o := range objects {
		name, kind := str(o["name"]), str(o["type"])
		out = append(out, fmt.Sprintf("%s %s", kind, name))
		cols := query(fmt.Sprintf(`SELECT name, type, "notnull", pk FROM pragma_table_xinfo('%s') WHERE hidden <> 1 ORDER BY cid`, strings.ReplaceAll(name, "'", "''")))
		var pk []string
		pkOrder := map[string]float64{}
		for _, c := range cols {
			if p := c["pk"].(float64); p > 0 && kind == "table" {
				pk = append(pk, str(c["name"]))
				pkOrder[str(c["name"])] = p
			}
		}
		sort.Slice(pk, func(i, j int) bool { return pkOrder[pk[i]] < pkOrder[pk[j]] })
		// A rowid table's INTEGER PRIMARY KEY is never NULL.
		alias := ""
		if len(pk) == 1 && o["wr"].(float64) == 0 {
			alias = pk[0]
		}
		for _, c := range cols {
			notNull := c["notnull"].(float64) == 1 || str(c["name"]) == alias && strings.EqualFold(str(c["type"]), "INTEGER")
			out = append(out, fmt.Sprintf("  column %s %q not null %v", str(c["name"]), str(c["type"]), notNull))
		}
		if kind != "table" {
			continue
		}
		var keys []string
		if len(pk) > 0 {
			keys = append(keys, fmt.Sprintf("  primary key (%s)", strings.Join(pk, ", ")))
		}
		lit := strings.ReplaceAll(name, "'", "''")
		indexes := map[string][]string{}
		exprs := map[string]bool{}
		partial := map[string]bool{}
		var order []string
		for _, r := range query(fmt.Sprintf(`SELECT il.name AS idx, il.origin, il.partial, ii.cid, ii.name AS col
			FROM pragma_index_list('%s') il JOIN pragma_index_xinfo(il.name) ii
			WHERE il."unique" AND il.origin <> 'pk' AND ii.key ORDER BY il.name, ii.seqno`, lit)) {
			idx := str(r["idx"])
			if _, ok := indexes[idx]; !ok {
				order = append(order, idx)
			}
			if r["col"] == nil {
				exprs[idx] = true
				indexes[idx] = append(indexes[idx], "(expression)")
			} else {
				indexes[idx] = append(indexes[idx], str(r["col"]))
			}
			partial[idx] = r["partial"].(float64) == 1
		}
		for _, idx := range order {
			if partial[idx] || exprs[idx] {
				keys = append(keys, fmt.Sprintf("  unique partial (%s)", strings.Join(indexes[idx], ", ")))
			} else {
				keys = append(keys, fmt.Sprintf("  unique (%s)", strings.Join(indexes[idx], ", ")))
			}
		}
		fks := map[float64][][2]string{}
		type fkHead struct{ ref, onDelete, onUpdate string }
		heads := map[float64]fkHead{}
		for _, r := range query(fmt.Sprintf(`SELECT id, seq, "table" AS ref, "from", "to", on_update, on_delete FROM pragma_foreign_key_list('%s') ORDER BY id, seq`, lit)) {
			id := r["id"].(float64)
			to := str(r["to"])
			if r["to"] == nil {
				to = "" // the referenced table's primary key, filled below
			}
			fks[id] = append(fks[id], [2]string{str(r["from"]), to})
			heads[id] = fkHead{str(r["ref"]), action(str(r["on_delete"])), action(str(r["on_update"]))}
		}
		for id, pairs := range fks {
			h := heads[id]
			var from, to []string
			refPK := query(fmt.Sprintf(`SELECT name FROM pragma_table_xinfo('%s') WHERE pk > 0 ORDER BY pk`, strings.ReplaceAll(h.ref, "'", "''")))
			for i, p := range pairs {
				from = append(from, p[0])
				if p[1] == "" && i < len(refPK) {
					p[1] = str(refPK[i]["name"])
				}
				to = append(to, p[1])
			}
			keys = append(keys, fmt.Sprintf("  foreign key (%s) references %s (%s) on delete %s on update %s",
				strings.Join(from, ", "), h.ref, strings.Join(to, ", "), h.onDelete, h.onUpdate))
		}
		sort.Strings(keys)
		out = append(out, keys...)
		stored := str(o["sql"])
		checks[name] = storedChecks{sql: stored, count: len(checkStart.FindAllString(sqlString.ReplaceAllString(stored, "''"), -1))}
	}
	return out, checks
}
