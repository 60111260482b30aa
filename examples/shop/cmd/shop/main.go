// Command shop serves the shop example's generated API.
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/crudgen_shop ADDR=:8080 go run ./examples/shop/cmd/shop
//
// Configuration comes from the environment: see runtime/server.
package main

import (
	"github.com/crudgen/crudgen/examples/shop/api"
	"github.com/crudgen/crudgen/runtime/server"
)

func main() { server.Main(api.Handler) }
