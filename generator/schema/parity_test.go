package schema_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/corpus"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// The parity tests load each corpus entry into PostgreSQL with psql, as the
// corpus README does, read back what the database holds and compare it with
// the catalog crudgen builds from the same SQL.

// loadFrom names the entry whose SQL builds another entry's database:
// replaying the 285 crates.io migrations takes about a minute, and
// cratesio_pgdump is pg_dump's output of exactly that database.
var loadFrom = map[string]string{"cratesio": "cratesio_pgdump"}

// invisible lists relations the database holds that no static parser can
// see. Nothing else belongs here: every other difference is a bug in
// generator/ddl or generator/schema.
var invisible = []struct {
	entry string
	rel   *regexp.Regexp
	why   string
}{
	{"postgrest_big_schema", regexp.MustCompile(`^fuzzysearch\.unknown_table_\d+$`),
		"499 tables created by EXECUTE format(...) in a DO block"},
}

func TestParity(t *testing.T) {
	entries := corpus.Entries(t)
	corpus.NeedPsql(t)
	byName := map[string]*corpus.Entry{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	for _, e := range entries {
		if !e.Loads {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			cat, err := parse(t, e)
			require.NoError(t, err)
			src := e
			if name, ok := loadFrom[e.Name]; ok {
				src = byName[name]
				t.Logf("database loaded from %s", name)
			}
			db, _ := load(t, src, true)
			dropInvisible(t, e.Name, db)
			t.Logf("database: %s", db.summary())
			errs, _ := compare(db, snapshotOf(cat), false)
			for _, msg := range errs {
				t.Errorf("%s %s", e.Name, msg)
			}
			if len(errs) > 0 {
				t.Logf("%s: %d differences", e.Name, len(errs))
			}
		})
	}
}

// TestParityPartial compares the entries that do not load completely here:
// each file is loaded without ON_ERROR_STOP and only what the database got
// is compared. What the parse has and the database lacks (objects that need
// a missing extension, and everything depending on them) is logged.
func TestParityPartial(t *testing.T) {
	entries := corpus.Entries(t)
	corpus.NeedPsql(t)
	for _, e := range entries {
		if e.Loads {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			cat, err := parse(t, e)
			if err != nil && e.Name == "pagila" {
				// pagila needs PostgreSQL 18, which crudgen rejects by
				// design: there is no parsed catalog to compare. Once the
				// parse succeeds, the comparison below is meaningful (the
				// tables using uuidv7(), VIRTUAL columns and pgvector are
				// then logged as missing).
				t.Skipf("parse fails as expected: %v", err)
			}
			require.NoError(t, err)
			db, loadErrs := load(t, e, false)
			t.Logf("%s: %d psql errors (%s)", e.Name, len(loadErrs), e.LoadFailure)
			t.Logf("database: %s", db.summary())
			for _, msg := range loadErrs {
				t.Logf("  %s", msg)
			}
			errs, notes := compare(db, snapshotOf(cat), true)
			for _, msg := range notes {
				t.Logf("%s %s", e.Name, msg)
			}
			for _, msg := range errs {
				t.Errorf("%s %s", e.Name, msg)
			}
		})
	}
}

// TestGoldenParity loads the SQL of each golden file into PostgreSQL: what
// the goldens expect must be what the database does. A golden that expects
// an error must fail in PostgreSQL too; one whose comment says "parity:
// skip" shows crudgen's behaviour on input PostgreSQL would reject.
func TestGoldenParity(t *testing.T) {
	corpus.NeedPsql(t)
	paths, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(path)
			require.NoError(t, err)
			if _, reason, ok := strings.Cut(string(ar.Comment), "parity: skip, "); ok {
				t.Skip(strings.TrimSpace(reason))
			}
			var files []source.File
			wantError := false
			for _, f := range ar.Files {
				if f.Name == "want" {
					wantError = strings.HasPrefix(string(f.Data), "error:")
					continue
				}
				files = append(files, source.File{Name: f.Name, Text: string(f.Data)})
			}
			url := pgtest.Fresh(t)
			vars := map[string]string{"schema_name": "app", "PGUSER": ""}
			_, loadErr := corpus.LoadSQL(t, url, files, vars, nil, true)
			if wantError {
				require.Error(t, loadErr, "crudgen rejects this input; PostgreSQL must too")
				return
			}
			require.NoError(t, loadErr)
			db := readCatalog(t, url)
			res, err := ddl.Parse(files, ddl.Options{Vars: map[string]string{"schema_name": "app"}})
			require.NoError(t, err)
			cat, err := schema.Build(res)
			require.NoError(t, err)
			errs, _ := compare(db, snapshotOf(cat), false)
			for _, msg := range errs {
				t.Error(msg)
			}
		})
	}
}

// parse builds the catalog of an entry as crudgen does.
func parse(t *testing.T, e *corpus.Entry) (*schema.Catalog, error) {
	t.Helper()
	files, err := e.Sources()
	require.NoError(t, err)
	res, err := ddl.Parse(files, ddl.Options{Vars: e.Vars})
	if err != nil {
		return nil, err
	}
	return schema.Build(res)
}

// load applies the entry to a fresh database, one psql session per file, and
// reads the database back. With stop, the first error fails the test;
// without, the errors are returned.
func load(t *testing.T, e *corpus.Entry, stop bool) (*snapshot, []string) {
	t.Helper()
	url := pgtest.Fresh(t)
	errs, err := e.Load(t, url, stop)
	require.NoError(t, err)
	return readCatalog(t, url), errs
}

// readCatalog reads what the database holds.
func readCatalog(t *testing.T, url string) *snapshot {
	t.Helper()
	out, stderr, err := corpus.Psql(url, catalogQuery, "-v", "ON_ERROR_STOP=1")
	require.NoError(t, err, stderr)
	var raw dbCatalog
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	return raw.snapshot()
}

// catalogQuery reads what the comparison needs as one JSON document.
// format_type spells types schema-qualified unless they are in pg_catalog,
// as schema.Type.String does. Objects of extensions are left out.
const catalogQuery = `
SET search_path = pg_catalog;
CREATE FUNCTION pg_temp.attnames(rel oid, nums int2[]) RETURNS text[] LANGUAGE sql STABLE
  AS $$ SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(nums) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = rel AND a.attnum = k.num $$;
WITH ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
rel AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
    AND (c.tableoid, c.oid) NOT IN (SELECT classid, objid FROM ext))
SELECT json_build_object(
  'relations', (SELECT json_agg(json_build_object(
    'schema', r.nspname,
    'name', r.relname,
    'kind', r.relkind,
    'partition_of', (SELECT json_build_array(pn.nspname, pc.relname)
                     FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
                     JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                     WHERE r.relispartition AND i.inhrelid = r.oid),
    'columns', (SELECT json_agg(json_build_object(
                  'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull)
                  ORDER BY a.attnum)
                FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
    'primary_key', (SELECT json_build_object('name', k.conname, 'columns', pg_temp.attnames(r.oid, k.conkey))
                    FROM pg_constraint k WHERE k.conrelid = r.oid AND k.contype = 'p'),
    -- Unique constraints, and unique indexes that are not a constraint's
    -- (the primary key's index is unique too) and have neither predicate
    -- nor expressions; INCLUDE columns are not part of the key.
    'unique', (SELECT json_agg(json_build_object('name', u.name, 'columns', u.cols)) FROM (
                 SELECT k.conname AS name, pg_temp.attnames(r.oid, k.conkey) AS cols FROM pg_constraint k
                 WHERE k.conrelid = r.oid AND k.contype = 'u'
                 UNION ALL
                 SELECT (SELECT relname FROM pg_class WHERE oid = i.indexrelid)::text, pg_temp.attnames(r.oid, (i.indkey::int2[])[0:i.indnkeyatts - 1])
                 FROM pg_index i
                 WHERE i.indrelid = r.oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                   AND NOT EXISTS (SELECT FROM pg_constraint k
                                   WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))) u),
    'checks', (SELECT json_agg(k.conname ORDER BY k.conname) FROM pg_constraint k
               WHERE k.conrelid = r.oid AND k.contype = 'c'),
    -- A foreign key to a partitioned table has one more row per partition
    -- of the referenced table, on the same table, child of the real one.
    'foreign_keys', (SELECT json_agg(json_build_object(
                       'name', k.conname,
                       'columns', pg_temp.attnames(r.oid, k.conkey),
                       'ref', json_build_array(fn.nspname, fc.relname),
                       'ref_columns', pg_temp.attnames(k.confrelid, k.confkey),
                       'on_delete', k.confdeltype,
                       'on_update', k.confupdtype))
                     FROM pg_constraint k JOIN pg_class fc ON fc.oid = k.confrelid
                     JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                     WHERE k.conrelid = r.oid AND k.contype = 'f'
                       AND NOT EXISTS (SELECT FROM pg_constraint p
                                       WHERE p.oid = k.conparentid AND p.conrelid = k.conrelid))
  )) FROM rel r),
  'enums', (SELECT json_agg(json_build_object(
    'schema', n.nspname,
    'name', t.typname,
    'values', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND (t.tableoid, t.oid) NOT IN (SELECT classid, objid FROM ext)));
`

// dbCatalog is the JSON catalogQuery returns.
type dbCatalog struct {
	Relations []struct {
		Schema      string
		Name        string
		Kind        string
		PartitionOf []string `json:"partition_of"`
		Columns     []struct {
			Name    string
			Type    string
			NotNull bool `json:"not_null"`
		}
		PrimaryKey  *key `json:"primary_key"`
		Unique      []key
		Checks      []string
		ForeignKeys []struct {
			Name       string
			Columns    []string
			Ref        []string
			RefColumns []string `json:"ref_columns"`
			OnDelete   string   `json:"on_delete"`
			OnUpdate   string   `json:"on_update"`
		} `json:"foreign_keys"`
	}
	Enums []struct {
		Schema string
		Name   string
		Values []string
	}
}

var (
	relkinds = map[string]schema.TableKind{
		"r": schema.KindTable, "p": schema.KindPartitionedTable,
		"v": schema.KindView, "m": schema.KindMaterializedView,
	}
	fkActions = map[string]string{"a": "no_action", "r": "restrict", "c": "cascade", "n": "set_null", "d": "set_default"}
)

func (c *dbCatalog) snapshot() *snapshot {
	s := &snapshot{rels: map[string]*relation{}, enums: map[string][]string{}}
	for _, r := range c.Relations {
		rel := &relation{Kind: relkinds[r.Kind], PrimaryKey: r.PrimaryKey, Unique: r.Unique, Checks: r.Checks}
		if len(r.PartitionOf) == 2 {
			rel.PartitionOf = qualified(r.PartitionOf[0], r.PartitionOf[1])
		}
		for _, col := range r.Columns {
			rel.Columns = append(rel.Columns, column{col.Name, col.Type, col.NotNull})
		}
		for _, fk := range r.ForeignKeys {
			rel.ForeignKeys = append(rel.ForeignKeys, foreignKey{
				Name: fk.Name, Columns: fk.Columns, Ref: qualified(fk.Ref[0], fk.Ref[1]), RefColumns: fk.RefColumns,
				OnDelete: fkActions[fk.OnDelete], OnUpdate: fkActions[fk.OnUpdate],
			})
		}
		s.rels[qualified(r.Schema, r.Name)] = rel
	}
	for _, e := range c.Enums {
		s.enums[qualified(e.Schema, e.Name)] = e.Values
	}
	return s
}

// snapshot is what both sides are reduced to, relations and enums by
// qualified name.
type snapshot struct {
	rels  map[string]*relation
	enums map[string][]string
}

// summary counts what the comparison covers, to show it is not empty.
func (s *snapshot) summary() string {
	cols, keys := 0, 0
	for _, r := range s.rels {
		cols += len(r.Columns)
		keys += len(r.Unique) + len(r.ForeignKeys) + len(r.Checks)
		if r.PrimaryKey != nil {
			keys++
		}
	}
	return fmt.Sprintf("%d relations, %d columns, %d keys, %d enums", len(s.rels), cols, keys, len(s.enums))
}

type relation struct {
	Kind        schema.TableKind
	PartitionOf string
	Columns     []column
	PrimaryKey  *key
	Unique      []key
	Checks      []string // names, sorted
	ForeignKeys []foreignKey
}

// key is a primary key, unique constraint or unique index.
type key struct {
	Name    string
	Columns []string
}

func (k *key) String() string {
	if k == nil {
		return "none"
	}
	return fmt.Sprintf("%s(%s)", k.Name, strings.Join(k.Columns, ", "))
}

type column struct {
	Name    string
	Type    string
	NotNull bool
}

type foreignKey struct {
	Name               string
	Columns            []string
	Ref                string
	RefColumns         []string
	OnDelete, OnUpdate string
}

func (fk foreignKey) String() string {
	return fmt.Sprintf("(%s) → %s(%s) on delete %s on update %s", strings.Join(fk.Columns, ", "),
		fk.Ref, strings.Join(fk.RefColumns, ", "), fk.OnDelete, fk.OnUpdate)
}

func qualified(schemaName, name string) string {
	return ddl.QuoteIdent(schemaName) + "." + ddl.QuoteIdent(name)
}

func snapshotOf(cat *schema.Catalog) *snapshot {
	s := &snapshot{rels: map[string]*relation{}, enums: map[string][]string{}}
	for _, t := range cat.Tables {
		rel := &relation{Kind: t.Kind}
		if t.PartitionOf != nil {
			rel.PartitionOf = qualified(t.PartitionOf.Schema, t.PartitionOf.Name)
		}
		for _, c := range t.Columns {
			rel.Columns = append(rel.Columns, column{c.Name, c.Type.String(), c.NotNull})
		}
		if t.PrimaryKey != nil {
			rel.PrimaryKey = &key{t.PrimaryKey.Name, t.PrimaryKey.ColumnNames()}
		}
		for _, k := range t.Unique {
			rel.Unique = append(rel.Unique, key{k.Name, k.ColumnNames()})
		}
		for _, k := range t.Checks {
			rel.Checks = append(rel.Checks, k.Name)
		}
		slices.Sort(rel.Checks)
		for _, fk := range t.ForeignKeys {
			f := foreignKey{Name: fk.Name, Ref: qualified(fk.Ref.Schema, fk.Ref.Name), OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate}
			for _, c := range fk.Columns {
				f.Columns = append(f.Columns, c.Name)
			}
			for _, c := range fk.RefColumns {
				f.RefColumns = append(f.RefColumns, c.Name)
			}
			rel.ForeignKeys = append(rel.ForeignKeys, f)
		}
		s.rels[qualified(t.Schema, t.Name)] = rel
	}
	for _, e := range cat.Enums {
		s.enums[qualified(e.Schema, e.Name)] = e.Values
	}
	return s
}

// dropInvisible removes from the database snapshot the relations listed in
// invisible, and fails when an entry of invisible matches nothing (it is
// stale then).
func dropInvisible(t *testing.T, entry string, db *snapshot) {
	for _, inv := range invisible {
		if inv.entry != entry {
			continue
		}
		n := 0
		for name := range db.rels {
			if inv.rel.MatchString(name) {
				delete(db.rels, name)
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: exception %s (%s) matches nothing: remove it", entry, inv.rel, inv.why)
		}
		t.Logf("ignored %d relations matching %s: %s", n, inv.rel, inv.why)
	}
}

// sameExtensionType reports whether two spellings name the same type of an
// extension: its own modifier output decides the case of identifiers in
// the modifiers (PostGIS prints geometry(point,4326) as
// geometry(Point,4326)), which no parser can know.
func sameExtensionType(db, parsed string) bool {
	name, mods, ok := strings.Cut(db, "(")
	return ok && strings.Contains(name, ".") && strings.EqualFold(db, parsed) &&
		strings.HasPrefix(parsed, name+"(") && mods != ""
}

// compare returns how the parsed catalog differs from the database. When
// partial, the database lacks what failed to load, so what only the parse
// has comes back as notes rather than errors.
func compare(db, parsed *snapshot, partial bool) (errs, notes []string) {
	missing := func(format string, args ...any) {
		if partial {
			notes = append(notes, fmt.Sprintf(format, args...))
		} else {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	for _, name := range unionKeys(db.rels, parsed.rels) {
		d, p := db.rels[name], parsed.rels[name]
		switch {
		case p == nil:
			errs = append(errs, fmt.Sprintf("%s: %s in the database, not parsed", name, d.Kind))
		case d == nil:
			missing("%s: parsed %s, not in the database", name, p.Kind)
		default:
			for _, msg := range compareRel(d, p) {
				errs = append(errs, name+": "+msg)
			}
			seen := map[string]bool{}
			for _, fk := range p.ForeignKeys {
				if seen[fk.Name] {
					errs = append(errs, fmt.Sprintf("%s: foreign key %s parsed twice", name, fk.Name))
				}
				seen[fk.Name] = true
				if !slices.ContainsFunc(d.ForeignKeys, func(x foreignKey) bool { return x.Name == fk.Name }) {
					msg := fmt.Sprintf("%s: foreign key %s %s parsed, not in the database", name, fk.Name, fk)
					if db.rels[fk.Ref] == nil {
						missing("%s", msg) // it references what failed to load
					} else {
						errs = append(errs, msg)
					}
				}
			}
		}
	}
	for _, name := range unionKeys(db.enums, parsed.enums) {
		d, inDB := db.enums[name]
		p, isParsed := parsed.enums[name]
		switch {
		case !isParsed:
			errs = append(errs, fmt.Sprintf("enum %s: in the database, not parsed", name))
		case !inDB:
			missing("enum %s: parsed, not in the database", name)
		case !slices.Equal(d, p):
			errs = append(errs, fmt.Sprintf("enum %s: values differ: db %q parsed %q", name, d, p))
		}
	}
	return errs, notes
}

// compareRel compares a relation present on both sides, except for the
// foreign keys only the parse has, which compare reports.
func compareRel(d, p *relation) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if d.Kind != p.Kind {
		add("kind differs: db %s parsed %s", d.Kind, p.Kind)
	}
	if d.PartitionOf != p.PartitionOf {
		add("partition of differs: db %q parsed %q", d.PartitionOf, p.PartitionOf)
	}
	names := func(cols []column) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = c.Name
		}
		return out
	}
	if dn, pn := names(d.Columns), names(p.Columns); !slices.Equal(dn, pn) {
		add("columns differ: db %v parsed %v", dn, pn)
	}
	// crudgen infers the types of view columns only for plain references,
	// casts and literals, so views compare by column names alone.
	if d.Kind != schema.KindView && d.Kind != schema.KindMaterializedView {
		for _, dc := range d.Columns {
			i := slices.IndexFunc(p.Columns, func(c column) bool { return c.Name == dc.Name })
			if i < 0 {
				continue
			}
			pc := p.Columns[i]
			if dc.Type != pc.Type && !sameExtensionType(dc.Type, pc.Type) {
				add("column %s: type differs: db %q parsed %q", dc.Name, dc.Type, pc.Type)
			}
			if dc.NotNull != pc.NotNull {
				add("column %s: not null differs: db %t parsed %t", dc.Name, dc.NotNull, pc.NotNull)
			}
		}
	}
	if d.PrimaryKey.String() != p.PrimaryKey.String() {
		add("primary key differs: db %s parsed %s", d.PrimaryKey, p.PrimaryKey)
	}
	if du, pu := sortedKeys(d.Unique), sortedKeys(p.Unique); !slices.Equal(du, pu) {
		add("unique keys differ: db %v parsed %v", du, pu)
	}
	if !slices.Equal(d.Checks, p.Checks) {
		add("checks differ: db %v parsed %v", d.Checks, p.Checks)
	}
	for _, dfk := range d.ForeignKeys {
		i := slices.IndexFunc(p.ForeignKeys, func(x foreignKey) bool { return x.Name == dfk.Name })
		switch {
		case i < 0:
			add("foreign key %s %s in the database, not parsed", dfk.Name, dfk)
		case dfk.String() != p.ForeignKeys[i].String():
			add("foreign key %s differs: db %s parsed %s", dfk.Name, dfk, p.ForeignKeys[i])
		}
	}
	return out
}

// sortedKeys prints keys in order, so that key sets compare as multisets.
func sortedKeys(keys []key) []string {
	out := make([]string, len(keys))
	for i := range keys {
		out[i] = keys[i].String()
	}
	slices.Sort(out)
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
