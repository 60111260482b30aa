// Package config reads crudgen.yaml, the file that tells crudgen where the
// schema is and where the generated code goes.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
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
	Version    int    `yaml:"version"`
	Schema     Paths  `yaml:"schema"`
	Out        string `yaml:"out"`
	Package    string `yaml:"package"`
	Migrations string `yaml:"migrations"` // force a migration folder format; "auto" by default
	Title      string `yaml:"title"`      // the API title in OpenAPI
	// Relations renames relations (include= names and child routes):
	// "posts.author: writer" names the author of a post writer, and
	// "authors.posts: articles" serves /authors/{id}/articles. Tables
	// outside public are written schema.table.
	Relations map[string]string `yaml:"relations"`

	// Dir is the directory of the file; relative paths are relative to it.
	Dir string `yaml:"-"`
}

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
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := Default()
	c.Version = 0 // a file must say which version it is written for
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // an empty file has the defaults
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
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
		return fmt.Errorf("missing version: 1")
	default:
		return fmt.Errorf("version must be 1, got %d", c.Version)
	}
	if c.Out == "" {
		c.Out = "internal/api"
	}
	if c.Package == "" {
		c.Package = filepath.Base(filepath.Clean(c.Out))
	}
	if !token.IsIdentifier(c.Package) || token.IsKeyword(c.Package) || c.Package == "_" {
		return fmt.Errorf("package %q is not a valid Go package name", c.Package)
	}
	for key, name := range c.Relations {
		if name == "" || strings.ContainsAny(name, ",/?#[]% ") {
			return fmt.Errorf("relations: %s: %q cannot name a relation (it goes in include= and in a route)", key, name)
		}
	}
	return nil
}

// Resolve returns a path of the file relative to the working directory.
func (c *Config) Resolve(path string) string {
	if filepath.IsAbs(path) || c.Dir == "" {
		return path
	}
	return filepath.Join(c.Dir, path)
}
