# crudgen has two modules: the generator (this directory) and runtime/, the
# module generated code imports. tools/go.mod pins the lint tools.
GO       ?= go
FUZZTIME ?= 30s
FUZZFLAGS ?=
STATICCHECK := $(GO) tool -modfile=$(CURDIR)/tools/go.mod staticcheck
GOSEC       := $(GO) tool -modfile=$(CURDIR)/tools/go.mod gosec -quiet -color=false

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

.PHONY: test lint demo examples bench fuzz golden sqlmap

# Every test of both modules. Tests that need PostgreSQL skip when none is
# reachable, or fail when CI=true (see runtime/pgtest). The slowest package,
# internal/sweep (the PostgreSQL and SQLite corpus sweeps, side by side),
# takes about 2 minutes with a warm build cache and 15 on a fresh clone
# with cold caches while another job holds one of two cores: TESTTIMEOUT
# leaves a margin over that rather than go test's default of 10 minutes. It runs with the rest, under -race like
# them (its test binary shares their instrumented builds; the servers it
# drives are programs it builds without -race).
TESTTIMEOUT ?= 30m
test:
	status=0; \
	$(GO) test -race -count=1 -timeout $(TESTTIMEOUT) ./... || status=1; \
	(cd runtime && $(GO) test -race -count=1 -timeout $(TESTTIMEOUT) ./...) || status=1; \
	exit $$status

# gofmt (testdata excluded), go vet, staticcheck and gosec in both modules.
# gosec reads the non-test code, generated examples included; a finding
# that is not a flaw is marked where it is: // #nosec G… -- reason.
lint:
	@unformatted=$$(find . -name '*.go' -not -path '*/testdata/*' -not -path './.git/*' -print0 | xargs -0r gofmt -l); \
	if [ -n "$$unformatted" ]; then echo "gofmt -w needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...
	$(GOSEC) ./...
	cd runtime && $(GO) vet ./... && $(STATICCHECK) ./... && $(GOSEC) ./...

# The blog example: generate its API, load its schema into a fresh
# database and serve it. DEMO_DATABASE names the database; PGHOST, PGPORT
# and PGUSER reach the server as for psql.
DEMO_DATABASE ?= crudgen_demo
PGHOST ?= 127.0.0.1
PGPORT ?= 5432
PGUSER ?= postgres
ADDR ?= :8080
demo:
	$(GO) run ./cmd/crudgen generate -c examples/blog/crudgen.yaml
	psql -X -q -h $(PGHOST) -p $(PGPORT) -U $(PGUSER) -d postgres -v ON_ERROR_STOP=1 \
	  -c 'DROP DATABASE IF EXISTS $(DEMO_DATABASE) WITH (FORCE)' -c 'CREATE DATABASE $(DEMO_DATABASE)'
	psql -X -q -h $(PGHOST) -p $(PGPORT) -U $(PGUSER) -d $(DEMO_DATABASE) -v ON_ERROR_STOP=1 -f examples/blog/schema.sql
	DATABASE_URL='postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(DEMO_DATABASE)?sslmode=disable' ADDR='$(ADDR)' \
	  $(GO) run ./examples/blog/cmd/blog

# An SQL injection scan, not part of test or CI: the blog server on a fresh
# database at 127.0.0.1, probed by sqlmap (installed beforehand: Debian's
# sqlmap package) through a path key, filters, sort, include, cursors and
# JSON bodies at level 3, risk 2, each scan time-bounded; fails when any
# parameter is injectable. PGHOST, PGPORT and PGUSER as for demo.
sqlmap:
	GO='$(GO)' PGHOST='$(PGHOST)' PGPORT='$(PGPORT)' PGUSER='$(PGUSER)' scripts/sqlmap.sh

# Regenerate the committed examples (their APIs and the Go clients
# oapi-codegen makes of their documents) and the end-to-end goldens.
examples:
	$(GO) run ./cmd/crudgen generate -c examples/blog/crudgen.yaml
	$(GO) run ./cmd/crudgen generate -c examples/shop/crudgen.yaml
	$(GO) run ./cmd/crudgen generate -c examples/bench/crudgen.yaml
	$(GO) run ./cmd/crudgen generate -c examples/bench/sqlite/crudgen.yaml
	$(GO) generate ./examples/blog/client ./examples/shop/client
	$(GO) test ./internal/e2e/ -run GoldenE2E -update

# Go benchmarks, then the load tests: the generated items server against
# the hand-written baseline (examples/bench), side by side in one run, on
# PostgreSQL and then on SQLite (examples/bench/sqlite).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./generator/... ./examples/blog/ ./examples/bench/... ./cmd/crudgen/
	cd runtime && $(GO) test -run '^$$' -bench . -benchmem . ./sqlite
	$(GO) run ./examples/bench/cmd/loadtest
	$(GO) run ./examples/bench/cmd/loadtest -engine sqlite

# Each fuzz target of both modules for FUZZTIME, FUZZJOBS at a time
# (FUZZFLAGS adds go test flags): see scripts/fuzz.sh. Targets over
# PostgreSQL need it as their tests do.
FUZZJOBS ?= 1
fuzz:
	GO='$(GO)' FUZZTIME='$(FUZZTIME)' FUZZJOBS='$(FUZZJOBS)' FUZZFLAGS='$(FUZZFLAGS)' scripts/fuzz.sh

# Rewrite the golden files: tests matching Golden, run with -update in the
# packages whose tests use internal/golden (the only ones defining -update).
golden:
	pkgs=$$($(GO) list -test -f '{{if .ForTest}}{{.ForTest}} {{join .Deps " "}}{{end}}' ./... \
	  | awk '/ github.com\/crudgen\/crudgen\/internal\/golden( |$$)/ { print $$1 }' | sort -u); \
	if [ -z "$$pkgs" ]; then echo "no package uses internal/golden"; exit 0; fi; \
	$(GO) test -count=1 -run Golden $$pkgs -update
