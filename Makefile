# hitwage: `make run` starts the site on the embedded store with demo data; `make test` runs every test.
CHDB_VERSION := 26.7.3-stable.1
CACHE_DIR    := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/hitwage
CHDB_LIB     := $(CACHE_DIR)/chdb/$(CHDB_VERSION)/libchdb.so
export HITWAGE_CHDB_LIB ?= $(CHDB_LIB)

ADDR    ?= 127.0.0.1:8080
DATA    ?= ./data
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run test build chdb bench bench-peer fuzz fmt clean

run: build
	./bin/web --addr $(ADDR) --data $(DATA) --demo

build: chdb
	go build -ldflags "$(LDFLAGS)" -o bin/web ./cmd/web
	go build -ldflags "$(LDFLAGS)" -o bin/collector ./cmd/collector

test: chdb
	go vet ./...
	go test -count=1 ./...

bench: chdb
	go test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 90m ./...

# hitwage against PostgreSQL on the same generated market (RECORDS=1000000 by default), loopback only.
bench-peer: chdb
	scripts/peer-postgres.sh

fuzz: chdb
	scripts/fuzz.sh $(or $(FUZZTIME),30s)

chdb: $(HITWAGE_CHDB_LIB)

$(CHDB_LIB):
	scripts/fetch-npm-file.sh @chdb/lib-linux-x64-gnu@$(CHDB_VERSION) libchdb.so $@

fmt:
	gofmt -l -w $$(git ls-files '*.go')

clean:
	rm -rf bin
