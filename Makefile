# newsgraph: the two commands a user needs are `make demo` and `make test`
# (or, with only Go installed: `go run ./cmd/newsgraph demo` and
# `go test ./...`).

GO ?= go
BIN := bin/newsgraph
FUZZTIME ?= 30s

.PHONY: build demo test eval bench fuzz vet clean

build:
	$(GO) build -o $(BIN) ./cmd/newsgraph

demo: build
	$(BIN) demo

test:
	$(GO) test ./...

vet:
	$(GO) vet ./...

eval: build
	$(BIN) eval testdata/dev
	$(BIN) eval testdata/seed

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin newsgraph.db
