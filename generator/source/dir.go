package source

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ReadDir reads the migration folder dir of fsys and returns its files in
// the tool's apply order, with the format it used (format itself, or the
// detected one when format is Auto). File names are dir joined with the
// file's path inside the folder.
func ReadDir(fsys fs.FS, dir string, format Format) (Result, Format, error) {
	return readDir(fsys, dir, dir, format)
}

// collectors list a folder's migrations in apply order, one per format.
var collectors = map[Format]func(*folder) ([]string, error){
	Plain:         (*folder).plain,
	Goose:         (*folder).goose,
	GolangMigrate: (*folder).golangMigrate,
	Dbmate:        (*folder).dbmate,
	SQLMigrate:    (*folder).sqlMigrate,
	Diesel:        (*folder).diesel,
	Prisma:        (*folder).prisma,
	Numbered:      (*folder).numbered,
}

// readDir is ReadDir with display, the folder's name in File names and
// errors, set apart from dir, its path inside fsys.
func readDir(fsys fs.FS, dir, display string, format Format) (Result, Format, error) {
	f, err := openFolder(fsys, dir, display)
	if err != nil {
		return Result{}, format, err
	}
	what := string(format) + " migrations"
	if format == Auto {
		what = "SQL migrations"
		if format, err = f.detect(); err != nil {
			return Result{}, format, err
		}
	}
	collect, ok := collectors[format]
	if !ok {
		return Result{}, format, fmt.Errorf("unknown migration format %q", string(format))
	}
	order, err := collect(f)
	if err != nil {
		return Result{}, format, err
	}
	res := Result{Skipped: f.skipped}
	if len(order) == 0 {
		msg := fmt.Sprintf("%s: no %s found", display, what)
		if n := len(f.skipped); n > 0 {
			msg += fmt.Sprintf(" (skipped %s: %s", f.skipped[0].Name, f.skipped[0].Reason)
			if n > 1 {
				msg += fmt.Sprintf("; and %d more", n-1)
			}
			msg += ")"
		}
		return res, format, errors.New(msg)
	}
	for _, rel := range order {
		text, err := f.read(rel)
		if err != nil {
			return Result{}, format, err
		}
		up, err := UpPart(f.name(rel), text, format)
		if err != nil {
			return Result{}, format, err
		}
		res.Files = append(res.Files, File{Name: f.name(rel), Text: up})
	}
	return res, format, nil
}

// folder is one migration folder being read.
type folder struct {
	fsys         fs.FS
	dir, display string
	files, dirs  []string // top-level entries, in name order
	texts        map[string]string
	skipped      []Skipped
}

func openFolder(fsys fs.FS, dir, display string) (*folder, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	f := &folder{fsys: fsys, dir: dir, display: display, texts: map[string]string{}}
	for _, e := range entries {
		// Hidden entries (.git, .keep, editor files) are never migrations.
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if info, err := fs.Stat(fsys, path.Join(dir, e.Name())); err == nil {
				isDir = info.IsDir()
			}
		}
		if isDir {
			f.dirs = append(f.dirs, e.Name())
		} else {
			f.files = append(f.files, e.Name())
		}
	}
	return f, nil
}

func (f *folder) name(rel string) string { return path.Join(f.display, rel) }

func (f *folder) skip(rel, reason string) {
	f.skipped = append(f.skipped, Skipped{Name: f.name(rel), Reason: reason})
}

func (f *folder) read(rel string) (string, error) {
	if t, ok := f.texts[rel]; ok {
		return t, nil
	}
	data, err := fs.ReadFile(f.fsys, path.Join(f.dir, rel))
	if err != nil {
		return "", err
	}
	f.texts[rel] = stripBOM(string(data))
	return f.texts[rel], nil
}

func (f *folder) has(rel string) bool {
	info, err := fs.Stat(f.fsys, path.Join(f.dir, rel))
	return err == nil && !info.IsDir()
}

// sqlFiles returns the top-level .sql files.
func (f *folder) sqlFiles() []string {
	var out []string
	for _, name := range f.files {
		if strings.HasSuffix(name, ".sql") {
			out = append(out, name)
		}
	}
	return out
}

// detect picks the folder's format: annotations inside the files first
// (they are explicit), then the shapes of subfolders and file names.
func (f *folder) detect() (Format, error) {
	found, foundIn := Plain, ""
	for _, rel := range f.sqlFiles() {
		text, err := f.read(rel)
		if err != nil {
			return Auto, err
		}
		a, err := annotationFormat(f.name(rel), text)
		if err != nil {
			return Auto, err
		}
		switch {
		case a == Plain:
		case found == Plain:
			found, foundIn = a, rel
		case a != found:
			return Auto, fmt.Errorf("%s: mixed migration formats: %s uses %s annotations, %s uses %s annotations",
				f.display, f.name(foundIn), found, f.name(rel), a)
		}
	}
	if found != Plain {
		return found, nil
	}
	prisma := false
	for _, d := range f.dirs {
		if f.has(d + "/up.sql") {
			return Diesel, nil
		}
		prisma = prisma || f.has(d+"/migration.sql")
	}
	if prisma {
		return Prisma, nil
	}
	var upSQL, flyway, numbered bool
	for _, rel := range f.sqlFiles() {
		m := golangMigrateName.FindStringSubmatch(rel)
		upSQL = upSQL || (m != nil && m[3] == "up")
		fw, _ := parseFlyway(rel)
		flyway = flyway || fw.kind == 'V' || fw.kind == 'R'
		numbered = numbered || leadingDigits(rel) != ""
	}
	switch {
	case upSQL:
		return GolangMigrate, nil
	case flyway, numbered:
		return Numbered, nil
	}
	return Plain, nil
}

// versions finds duplicate versions: two files one tool takes for the same
// migration, so it would run only one of them, or fail.
type versions map[string]string

// add records that rel has key, e.g. "version 3", and fails when another
// file already had it.
func (v versions) add(f *folder, key, rel string) error {
	if prev, ok := v[key]; ok {
		return &Error{Name: f.name(rel), Msg: fmt.Sprintf("duplicate migration %s (also %s)", key, f.name(prev))}
	}
	v[key] = rel
	return nil
}

// plain: every top-level .sql file in name order.
func (f *folder) plain() ([]string, error) {
	return f.sqlFiles(), nil
}

// goose (collect_migration.go): top-level *.sql and *.go files named
// <version>_<name>, version an int64 > 0, sorted numerically. Files without
// a version are ignored, as goose's Provider does; Go migrations cannot be
// read here and are reported as skipped.
func (f *folder) goose() ([]string, error) {
	type mig struct {
		rel string
		v   int64
	}
	var migs []mig
	seen := versions{}
	for _, rel := range f.files {
		ext := path.Ext(rel)
		if (ext != ".sql" && ext != ".go") || strings.HasSuffix(rel, "_test.go") {
			continue
		}
		before, _, found := strings.Cut(rel, "_")
		v, err := strconv.ParseInt(before, 10, 64)
		if !found || err != nil || v < 1 {
			if ext == ".sql" {
				f.skip(rel, "no goose version: the name must be <version>_<name>.sql with a version of 1 or more")
			}
			continue
		}
		if err := seen.add(f, "version "+strconv.FormatInt(v, 10), rel); err != nil {
			return nil, err
		}
		if ext == ".go" {
			f.skip(rel, "goose Go migration: it runs compiled into a binary and cannot be read; its schema changes are missing")
			continue
		}
		migs = append(migs, mig{rel, v})
	}
	sort.SliceStable(migs, func(i, j int) bool { return migs[i].v < migs[j].v })
	out := make([]string, len(migs))
	for i, m := range migs {
		out[i] = m.rel
	}
	return out, nil
}

// golangMigrateName is golang-migrate's source.Regex.
var golangMigrateName = regexp.MustCompile(`^([0-9]+)_(.*)\.(down|up)\.(.*)$`)

// golangMigrate (source/parse.go, source/iofs): top-level files named
// <version>_<title>.up.sql, version a uint64, sorted numerically. Down
// files are not applied; names that do not parse are ignored by the tool.
func (f *folder) golangMigrate() ([]string, error) {
	type mig struct {
		rel string
		v   uint64
	}
	var migs []mig
	up, down := versions{}, versions{}
	for _, rel := range f.sqlFiles() {
		m := golangMigrateName.FindStringSubmatch(rel)
		if m == nil {
			f.skip(rel, "not a golang-migrate file name (<version>_<title>.up.sql)")
			continue
		}
		v, err := strconv.ParseUint(m[1], 10, 64)
		if err != nil {
			f.skip(rel, "golang-migrate version does not fit in 64 bits")
			continue
		}
		seen := up
		if m[3] == "down" {
			seen = down
		}
		if err := seen.add(f, "version "+strconv.FormatUint(v, 10), rel); err != nil {
			return nil, err
		}
		if m[3] == "up" {
			migs = append(migs, mig{rel, v})
		}
	}
	sort.SliceStable(migs, func(i, j int) bool { return migs[i].v < migs[j].v })
	out := make([]string, len(migs))
	for i, m := range migs {
		out[i] = m.rel
	}
	return out, nil
}

// dbmate (db.go FindMigrations): top-level files matching ^(\d+).*\.sql$,
// sorted by file name as strings. The version is the leading digits as
// written, so 001_a and 1_b are different migrations to dbmate.
func (f *folder) dbmate() ([]string, error) {
	var out []string
	seen := versions{}
	for _, rel := range f.sqlFiles() {
		v := leadingDigits(rel)
		if v == "" {
			f.skip(rel, "not a dbmate file name: it must start with the version number")
			continue
		}
		if err := seen.add(f, "version "+v, rel); err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	sort.Strings(out)
	return out, nil
}

// sqlMigrate (migrate.go): every top-level .sql file. Names with a numeric
// prefix sort by it, numerically, before all others; ties and the rest sort
// by name. The name is the migration's id, so there are no duplicates.
func (f *folder) sqlMigrate() ([]string, error) {
	out := f.sqlFiles()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := leadingDigits(out[i]), leadingDigits(out[j])
		switch {
		case a != "" && b != "" && cmpDigits(a, b) != 0:
			return cmpDigits(a, b) < 0
		case a != "" && b == "":
			return true
		case a == "" && b != "":
			return false
		}
		return out[i] < out[j]
	})
	return out, nil
}

// diesel (diesel_migrations file_based_migrations.rs, migrations_internals):
// every non-hidden subfolder is a migration and must hold up.sql. Its
// version is the folder name up to the first "_" with every "-" removed,
// and versions sort as strings.
func (f *folder) diesel() ([]string, error) {
	type mig struct{ rel, v string }
	var migs []mig
	seen := versions{}
	for _, d := range f.dirs {
		if !f.has(d + "/up.sql") {
			return nil, &Error{Name: f.name(d), Msg: "not a Diesel migration: the folder has no up.sql"}
		}
		before, _, _ := strings.Cut(d, "_")
		v := strings.ReplaceAll(before, "-", "")
		if err := seen.add(f, "version "+v, d+"/up.sql"); err != nil {
			return nil, err
		}
		migs = append(migs, mig{d + "/up.sql", v})
	}
	f.skipLooseSQL("Diesel")
	sort.SliceStable(migs, func(i, j int) bool { return migs[i].v < migs[j].v })
	out := make([]string, len(migs))
	for i, m := range migs {
		out[i] = m.rel
	}
	return out, nil
}

// prisma (packages/migrate listMigrations): every subfolder is a migration
// holding migration.sql; folders sort by name.
func (f *folder) prisma() ([]string, error) {
	var out []string
	for _, d := range f.dirs {
		if !f.has(d + "/migration.sql") {
			return nil, &Error{Name: f.name(d), Msg: "not a Prisma migration: the folder has no migration.sql"}
		}
		out = append(out, d+"/migration.sql")
	}
	f.skipLooseSQL("Prisma")
	return out, nil
}

// skipLooseSQL reports top-level .sql files, which folder-per-migration
// tools never run.
func (f *folder) skipLooseSQL(tool string) {
	for _, rel := range f.sqlFiles() {
		f.skip(rel, "not inside a migration folder; "+tool+" does not run it")
	}
}

// numbered covers tools that order plain SQL files by a number in the name.
// With Flyway names (V<version>__<desc>.sql, R__<desc>.sql) the folder is a
// Flyway folder: versions compare part by part, repeatable migrations follow
// all versioned ones ordered by description, undo files are not applied and
// other .sql files (e.g. callbacks such as afterMigrate.sql) are not
// migrations. Otherwise (sqlx, 0001_x.sql) every .sql file needs a leading
// number and they sort by it; sqlx's .down.sql files are not applied.
func (f *folder) numbered() ([]string, error) {
	flyway := false
	for _, rel := range f.sqlFiles() {
		fw, _ := parseFlyway(rel)
		flyway = flyway || fw.kind == 'V' || fw.kind == 'R'
	}
	type mig struct {
		rel   string
		parts []string // nil for a repeatable migration
		desc  string
	}
	var migs []mig
	seen, seenDesc := versions{}, versions{}
	for _, rel := range f.sqlFiles() {
		if !flyway {
			if strings.HasSuffix(rel, ".down.sql") {
				continue
			}
			v := leadingDigits(rel)
			if v == "" {
				return nil, &Error{Name: f.name(rel), Msg: "no version number at the start of the name (expected e.g. 0001_name.sql); use the plain format to apply files in name order"}
			}
			if err := seen.add(f, "version "+trimZeros(v), rel); err != nil {
				return nil, err
			}
			migs = append(migs, mig{rel: rel, parts: []string{v}})
			continue
		}
		fw, err := parseFlyway(rel)
		if err != nil {
			return nil, &Error{Name: f.name(rel), Msg: err.Error()}
		}
		switch fw.kind {
		case 'V':
			if err := seen.add(f, "version "+versionKey(fw.parts), rel); err != nil {
				return nil, err
			}
			migs = append(migs, mig{rel: rel, parts: fw.parts})
		case 'R':
			if err := seenDesc.add(f, "description "+strconv.Quote(fw.desc), rel); err != nil {
				return nil, err
			}
			migs = append(migs, mig{rel: rel, desc: fw.desc})
		case 'U':
			// Undo migrations are Flyway's down part.
		case 'B':
			f.skip(rel, "Flyway baseline migration: it replaces the versioned migrations up to its version only on an empty database")
		default:
			f.skip(rel, "not a Flyway migration name (V<version>__<description>.sql or R__<description>.sql)")
		}
	}
	sort.SliceStable(migs, func(i, j int) bool {
		a, b := migs[i], migs[j]
		switch {
		case a.parts != nil && b.parts != nil:
			return cmpParts(a.parts, b.parts) < 0
		case a.parts != nil || b.parts != nil:
			return a.parts != nil
		}
		return a.desc < b.desc
	})
	out := make([]string, len(migs))
	for i, m := range migs {
		out[i] = m.rel
	}
	return out, nil
}
