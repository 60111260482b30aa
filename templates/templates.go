// Package templates holds the text/template sources crudgen renders, one
// per kind of output file. A user may override any of them by name (the
// workflow commands export them as a starting point). Templates print what
// the model decided; they make no decisions of their own.
package templates

import "embed"

// FS holds the templates.
//
//go:embed *.tmpl
var FS embed.FS
