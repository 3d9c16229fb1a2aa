# waflows — see README.md. Every target runs from a fresh clone with only Go installed
# (bench-http also installs wrk from Debian's packages when it is missing).

GO        ?= go
STATICCHECK_VERSION ?= v0.8.2
FUZZTIME  ?= 30s
BENCHTIME ?= 1s

.PHONY: all build generate check-generate test vet bench bench-http bench-instances bench-hostile fuzz run lint

all: test

## build: the waflows binary in ./waflows, stamped with the VCS revision that `waflows version` prints
build:
	$(GO) build -buildvcs=auto -o waflows ./cmd/waflows

## generate: regenerate gen/ from spec/ (oapi-codegen pinned in go.mod through tools.go)
generate:
	$(GO) generate ./...

## check-generate: fail when regenerating changes or adds any file, or go.mod/go.sum are not tidy
check-generate: generate
	@changes="$$(git status --porcelain --untracked-files=all -- gen)"; \
	if [ -n "$$changes" ]; then \
		echo "gen/ differs from what spec/ generates, or is not committed (run make generate and commit):"; echo "$$changes"; \
		git --no-pager diff --stat -- gen; exit 1; fi
	$(GO) mod tidy -diff

vet:
	$(GO) vet ./...

## test: what CI runs: the generated code is current, the lint passes, every test passes under the race detector
test: check-generate lint
	$(GO) test -race -count=1 ./...

## bench: in-process benchmarks (ns/op, B/op, allocs/op)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

## bench-http: loopback HTTP throughput with wrk, server and wrk pinned to separate cores
bench-http:
	bash bench/http.sh

## bench-instances: one instance on SQLite versus two instances on one PostgreSQL database (needs bench-http's wrk)
bench-instances:
	bash bench/instances.sh

## bench-hostile: memory, CPU and response sizes under hostile requests, one fresh server per scenario (BIN=… measures another binary)
bench-hostile:
	bash bench/hostile.sh

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

## run: the server on the embedded default (SQLite in ./waflows-data)
run:
	$(GO) run ./cmd/waflows serve

## lint: gofmt, go vet and staticcheck (pinned; fetched through the module proxy)
lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
