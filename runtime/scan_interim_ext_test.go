package runtime_test

import (
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/postgres"
)

// Interim: see scan_interim_test.go.
func init() { runtime.RegisterTypes = postgres.RegisterTypes }
