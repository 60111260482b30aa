package postgres

import "github.com/crudgen/crudgen/runtime"

// Interim, until scan.go moves to this package (a change of its own): the
// tests call its ScanRows and QueryRow as this package's. Delete this file
// then.
var (
	ScanRows = runtime.ScanRows
	QueryRow = runtime.QueryRow
)
