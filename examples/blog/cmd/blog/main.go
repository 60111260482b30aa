// Command blog serves the blog example's generated API.
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/crudgen_demo ADDR=:8080 go run ./examples/blog/cmd/blog
//
// `make demo` creates the database, loads examples/blog/schema.sql and runs
// it. Configuration comes from the environment: see runtime/server.
package main

import (
	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/runtime/server"
)

func main() { server.Main(api.Handler) }
