# Watchkeeper — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

SWIFT        ?= swift
DEBIAN_DEPS  := libsqlite3-dev libssl-dev libcurl4-openssl-dev tzdata openssl curl ca-certificates
BENCH_DEPS   := wrk nginx-light prometheus-alertmanager
PY_TEST_DEPS := pytest openapi-spec-validator prometheus-client icalendar aiosmtpd
DATA_DIR     := data

.PHONY: dependency-check run test build release bench deps test-deps bench-deps swift-tests python-tests clean

## Install what is missing (Debian packages need root or sudo).
deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: https://www.swift.org/install/linux/ (then re-run make)"; exit 1; }
	@scripts/install-debian-packages.sh $(DEBIAN_DEPS)

test-deps: deps
	@scripts/install-python-packages.sh $(PY_TEST_DEPS)

bench-deps: deps
	@scripts/install-debian-packages.sh $(BENCH_DEPS)

build: deps
	$(SWIFT) build --product watchkeeper

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product watchkeeper

## Build and start the server on http://127.0.0.1:8080 with an embedded SQLite database.
run: build
	@mkdir -p $(DATA_DIR)
	@echo "Starting Watchkeeper on http://127.0.0.1:8080 (Ctrl-C stops it). Create an admin key with:"
	@echo "  $$($(SWIFT) build --show-bin-path)/watchkeeper api-key create --name me --role admin"
	$$($(SWIFT) build --show-bin-path)/watchkeeper serve

## Everything CI checks.
test: test-deps dependency-check swift-tests python-tests
	@echo "make test: all checks passed"

## No SwiftNIO (or anything that pulls it in) anywhere in the dependency graph.
dependency-check:
	@deps=$$($(SWIFT) package show-dependencies --format flatlist); echo "dependencies: $$(echo $$deps)"; \
	if grep -qi nio <<<"$$deps"; then echo "SwiftNIO found in the dependency graph" >&2; exit 1; fi

## The failures are printed again at the end, so the tail of a long CI log names them.
swift-tests:
	$(SWIFT) build --build-tests
	@mkdir -p .build
	@set -o pipefail; $(SWIFT) test --skip-build 2>&1 | tee .build/swift-test.log || { \
		echo "== failed tests and their issues (from .build/swift-test.log) =="; \
		grep -E "✘|recorded an issue|error:" .build/swift-test.log | head -80; exit 1; }

python-tests:
	$(SWIFT) build --product watchkeeper
	python3 docker/check.py
	WATCHKEEPER_BIN="$$($(SWIFT) build --show-bin-path)/watchkeeper" python3 -m pytest -q Tests/python

## Release build, then HTTP, storage, schedule and paging (against Alertmanager) figures into docs/BENCHMARKS.md.
bench: bench-deps
	$(SWIFT) build -c release --static-swift-stdlib --product watchkeeper
	$(SWIFT) build -c release --static-swift-stdlib --product watchkeeper-bench
	scripts/bench.sh

clean:
	rm -rf .build
