# newsgraph: the two commands a user needs are `make demo` and `make test`
# (or, with only Go installed: `go run ./cmd/newsgraph demo` and
# `go test ./...`).

GO ?= go
BIN := bin/newsgraph
FUZZTIME ?= 30s

UI_ASSETS ?= ui-assets
NPM ?= npm

.PHONY: build demo test eval bench gobench fuzz vet clean ui-assets

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
	$(BIN) eval testdata/holdout

# every go test -fuzz target, each for $(FUZZTIME); prints the execs
fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

# bench: one table, every figure from one run (extraction vs wink-nlp,
# load vs cayley load, ingest of $(SMALL) and $(N) generated articles,
# Gizmo latency); N=0 skips the large corpus. Go micro-benchmarks: gobench.
N ?= 100000
SMALL ?= 10000
bench:
	$(GO) run ./cmd/newsbench -small $(SMALL) -large $(N)

gobench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# the web UI's editor and icon font from the npm registry, so that
# `newsgraph serve` works offline (it looks in ./ui-assets, or --ui-assets DIR)
ui-assets: $(UI_ASSETS)/node_modules/monaco-editor/min/vs/loader.js

$(UI_ASSETS)/node_modules/monaco-editor/min/vs/loader.js:
	mkdir -p $(UI_ASSETS)
	$(NPM) install --prefix $(UI_ASSETS) --no-save --no-audit --no-fund --ignore-scripts --no-package-lock \
		monaco-editor@0.18.1 material-icons@1.13.14
	test -f $@

clean:
	rm -rf bin newsgraph.db
