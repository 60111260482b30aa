// Package config reads crudgen.yaml, the file that tells crudgen where the
// schema is and where the generated code goes.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/crudgen/crudgen/generator/dialect"
)

// DefaultFile is the configuration file crudgen looks for.
const DefaultFile = "crudgen.yaml"

// Config is crudgen.yaml.
//
//	version: 1
//	schema: db/schema.sql        # or a list; files and migration folders
//	out: internal/api            # where the generated package goes
//	package: api                 # its name; defaults to the last element of out
type Config struct {
	Version int `yaml:"version"`
	// Dialect is the SQL of the schema: postgres (the default), sqlite or
	// mysql.
	Dialect    string `yaml:"dialect"`
	Schema     Paths  `yaml:"schema"`
	Out        string `yaml:"out"`
	Package    string `yaml:"package"`
	Migrations string `yaml:"migrations"` // force a migration folder format; "auto" by default
	Title      string `yaml:"title"`      // the API title in OpenAPI
	// Auth says how clients authenticate, for the OpenAPI document: none
	// (the default) or bearer (the server's AUTH_TOKENS_FILE).
	Auth string `yaml:"auth"`
	// BasePath puts every route under a prefix, such as /api/v1.
	BasePath string `yaml:"base_path"`
	// JSONNames is how columns are named in JSON, query parameters and
	// OpenAPI: "columns" (as the database spells them, the default) or
	// "camel" (created_at becomes createdAt).
	JSONNames string `yaml:"json_names"`
	// Tables selects the tables served, by globs over their names
	// (schema.table outside public).
	Tables Tables `yaml:"tables"`
	// Routes renames collection routes: "people: /persons".
	Routes map[string]string `yaml:"routes"`
	// Types overrides the Go type of a column ("table.column") or of every
	// column of a database type ("citext", "public.money"): go is a type
	// crudgen knows (string, int64, float64...) or "import/path.Name",
	// which must scan with pgx and encode with encoding/json; openapi is
	// its schema (type, format, pattern, description).
	Types map[string]TypeOverride `yaml:"types"`
	// GoNames renames the Go types of tables: "people: Human" makes Human,
	// HumanStore, CreateHumanRequest...
	GoNames map[string]string `yaml:"go_names"`
	// Fields renames columns in JSON: "posts.title: headline".
	Fields map[string]string `yaml:"fields"`
	// Columns sets how a column is exposed: hidden (neither read nor
	// written), write_only (accepted, never returned), read_only (returned,
	// never accepted) or read_write (the default, and the way to return a
	// column whose name suggests a secret, which is write_only otherwise).
	Columns map[string]string `yaml:"columns"`
	// Templates is a folder of templates that replace the built-in ones
	// of the same file name (crudgen templates export writes them), or
	// redefine their blocks (row, requests, store, handler).
	Templates string `yaml:"templates"`
	// OpenAPI is a JSON file describing the user's own routes (paths and
	// components.schemas), merged into the generated document.
	OpenAPI string `yaml:"openapi"`
	// Relations renames relations (include= names and child routes):
	// "posts.author: writer" names the author of a post writer, and
	// "authors.posts: articles" serves /authors/{id}/articles. Tables
	// outside public are written schema.table.
	Relations map[string]string `yaml:"relations"`

	// Dir is the directory of the file; relative paths are relative to it.
	Dir string `yaml:"-"`
}

// Tables selects tables by globs (path.Match syntax) over their names.
type Tables struct {
	Include  []string `yaml:"include"`   // only these (default: all)
	Exclude  []string `yaml:"exclude"`   // never these
	ReadOnly []string `yaml:"read_only"` // served with GET only
	// RequireIfMatch tables take no blind writes: PUT, PATCH and DELETE
	// without If-Match are a 428, and POST does no upserts.
	RequireIfMatch []string `yaml:"require_if_match"`
}

// TypeOverride is an entry of types.
type TypeOverride struct {
	Go      string            `yaml:"go"`
	OpenAPI map[string]string `yaml:"openapi"`
}

// Column exposures.
const (
	ColumnHidden    = "hidden"
	ColumnWriteOnly = "write_only"
	ColumnReadOnly  = "read_only"
	ColumnReadWrite = "read_write"
)

// Paths is a path or a list of paths.
type Paths []string

// UnmarshalYAML accepts a single string or a list.
func (p *Paths) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*p = Paths{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*p = list
	return nil
}

// Default returns the configuration used without a file.
func Default() *Config {
	return &Config{Version: 1, Out: "internal/api", Dir: "."}
}

// Load reads a configuration file. Unknown keys are errors, so a typo
// does not silently change nothing.
func Load(path string) (*Config, error) {
	raw, err := os.ReadFile(path) // #nosec G304 -- the configuration file the command line names
	if err != nil {
		return nil, err
	}
	if line, col, msg := badCharacter(raw); msg != "" {
		return nil, fmt.Errorf("%s:%d:%d: %s", path, line, col, msg)
	}
	c := Default()
	c.Version = 0 // a file must say which version it is written for
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // an empty file has the defaults
		return nil, fmt.Errorf("%s: %s", path, locate(raw, err))
	}
	c.Dir = filepath.Dir(path)
	if err := c.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Check validates the configuration and fills in defaults.
func (c *Config) Check() error {
	switch c.Version {
	case 1:
	case 0:
		return fmt.Errorf("version: missing: the file starts with version: 1")
	default:
		return fmt.Errorf("version: must be 1, got %d", c.Version)
	}
	if _, err := dialect.Parse(c.Dialect); err != nil {
		return fmt.Errorf("dialect: %w", err)
	}
	if c.Out == "" {
		c.Out = "internal/api"
	}
	fromOut := c.Package == ""
	if fromOut {
		c.Package = filepath.Base(filepath.Clean(c.Out))
	}
	if !token.IsIdentifier(c.Package) || token.IsKeyword(c.Package) || c.Package == "_" {
		if fromOut {
			return fmt.Errorf("out: %q ends in %q, which is not a valid Go package name; set package to name it", c.Out, c.Package)
		}
		return fmt.Errorf("package: %q is not a valid Go package name", c.Package)
	}
	for _, key := range sortedKeys(c.Relations) {
		if name := c.Relations[key]; name == "" || strings.ContainsAny(name, ",/?#[]% ") {
			return fmt.Errorf("relations: %s: %q cannot name a relation (it goes in include= and in a route)", key, name)
		}
	}
	if c.BasePath != "" && !routePath.MatchString(c.BasePath) {
		return fmt.Errorf("base_path: %q is not a path such as /api/v1", c.BasePath)
	}
	switch c.Auth {
	case "", "none", "bearer":
	default:
		return fmt.Errorf("auth: %q is neither none nor bearer", c.Auth)
	}
	switch c.JSONNames {
	case "", "columns", "camel":
	default:
		return fmt.Errorf("json_names: %q is neither columns nor camel", c.JSONNames)
	}
	for _, group := range [][]string{c.Tables.Include, c.Tables.Exclude, c.Tables.ReadOnly, c.Tables.RequireIfMatch} {
		for _, g := range group {
			if _, err := path.Match(g, ""); err != nil {
				return fmt.Errorf("tables: %q is not a glob: %v", g, err)
			}
		}
	}
	for _, key := range sortedKeys(c.Routes) {
		if !routePath.MatchString(c.Routes[key]) {
			return fmt.Errorf("routes: %s: %q is not a route such as /people or /v2/people", key, c.Routes[key])
		}
	}
	for key, ov := range c.Types {
		if ov.Go == "" {
			return fmt.Errorf("types: %s: go is missing: name the Go type, such as string or example.com/pkg.Type", key)
		}
	}
	for _, key := range sortedKeys(c.GoNames) {
		if name := c.GoNames[key]; !token.IsIdentifier(name) || !token.IsExported(name) {
			return fmt.Errorf("go_names: %s: %q is not an exported Go identifier", key, name)
		}
	}
	for _, key := range sortedKeys(c.Fields) {
		if !strings.Contains(key, ".") {
			return fmt.Errorf("fields: %q is not table.column", key)
		}
		if name := c.Fields[key]; name == "" || strings.ContainsAny(name, "\",[]\\` \t\n") || strings.HasPrefix(name, "-") {
			return fmt.Errorf("fields: %s: %q cannot name a field (it goes in JSON, query parameters and sort)", key, name)
		}
	}
	for _, key := range sortedKeys(c.Columns) {
		if !strings.Contains(key, ".") {
			return fmt.Errorf("columns: %q is not table.column", key)
		}
		switch c.Columns[key] {
		case ColumnHidden, ColumnWriteOnly, ColumnReadOnly, ColumnReadWrite:
		default:
			return fmt.Errorf("columns: %s: %q is not hidden, write_only, read_only or read_write", key, c.Columns[key])
		}
	}
	return nil
}

// routePath is a route or base path: slash-separated URL-safe segments.
var routePath = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// Resolve returns a path of the file relative to the working directory.
func (c *Config) Resolve(path string) string {
	if filepath.IsAbs(path) || c.Dir == "" {
		return path
	}
	return filepath.Join(c.Dir, path)
}

// badCharacter finds the first character YAML does not allow in a file
// (crudgen.yaml is UTF-8) and says where it is; msg is "" when there is
// none. The YAML decoder reports these without a position.
func badCharacter(raw []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRune(raw[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, fmt.Sprintf("invalid UTF-8 (byte 0x%02x); crudgen.yaml is UTF-8", raw[i])
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r == 0x85 ||
			r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff:
		default:
			return line, col, fmt.Sprintf("control character %U is not allowed", r)
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		col++
		i += size
	}
	return 0, 0, ""
}

// yamlLine matches the position the YAML decoder puts in its messages.
var yamlLine = regexp.MustCompile(`(^|\n\s*)line \d+: `)

// unknownAnchor is the one syntax error the YAML decoder reports with no
// position wherever it is.
var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// locate returns the message of a decoding error with a position. The
// decoder leaves out positions on the first line and in errors about
// anchors, aliases and merges: those get the line 1, or the key whose
// value fails to decode on its own.
func locate(raw []byte, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if yamlLine.MatchString(msg) {
		return msg
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		for i, line := range strings.Split(string(raw), "\n") {
			if strings.Contains(line, "*"+m[1]) {
				return fmt.Sprintf("line %d: %s", i+1, msg)
			}
		}
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "line 1: " + msg // a syntax error, which only the first line leaves unnumbered
	}
	root := doc.Content[0]
	typ := reflect.TypeFor[Config]()
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		for j := range typ.NumField() {
			if tag, _, _ := strings.Cut(typ.Field(j).Tag.Get("yaml"), ","); tag == key.Value {
				if value.Decode(reflect.New(typ.Field(j).Type).Interface()) != nil {
					return fmt.Sprintf("line %d: %s: %s", key.Line, key.Value, msg)
				}
			}
		}
	}
	return fmt.Sprintf("line %d: %s", root.Line, msg)
}
