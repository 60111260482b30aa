// Package color is a type of the user's own that crudgen.yaml's types
// option gives a column: it validates itself when decoded from JSON and
// travels to PostgreSQL as text.
package color

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"regexp"
)

// Color is a #rrggbb color.
type Color string

var valid = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// UnmarshalJSON accepts only #rrggbb strings.
func (c *Color) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if !valid.MatchString(s) {
		return fmt.Errorf("%q is not a #rrggbb color", s)
	}
	*c = Color(s)
	return nil
}

// Scan reads the column.
func (c *Color) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("color: cannot scan %T", src)
	}
	*c = Color(s)
	return nil
}

// Value writes the column.
func (c Color) Value() (driver.Value, error) { return string(c), nil }
