module github.com/crudgen/crudgen

go 1.26.8

require (
	github.com/stretchr/testify v1.12.1
	golang.org/x/tools v0.52.0
)

require (
	github.com/pganalyze/pg_query_go/v6 v6.2.5 // indirect
	google.golang.org/protobuf v1.33.0 // indirect
)

require (
	github.com/crudgen/crudgen/runtime v0.0.0
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/crudgen/crudgen/runtime => ./runtime
