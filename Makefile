# Account Platform — the two commands: `make run` and `make test`. See README.md.
BUILD_DIR ?= build
DATA_DIR  ?= data
LISTEN    ?= 127.0.0.1:8080
JOBS      ?= $(shell nproc)
BIN       := $(BUILD_DIR)/bin/account-platform

.PHONY: all deps build server web test test-unit test-integration test-browser run demo bench fuzz clean lint

all: build

deps:
	@scripts/install-deps

build: deps server web

# scripts/build-release is also what deploy/Dockerfile's build stage runs.
server:
	@BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) scripts/build-release server

web:
	@scripts/build-release web

# clang-format and clang-tidy on the C++ (clang-tidy reads build/compile_commands.json), ESLint and Prettier on the
# web app (scripts/lint; `scripts/lint --fix` rewrites the formatting). docs/testing.md "C++ lint".
lint: deps
	@BUILD_DIR=$(BUILD_DIR) scripts/lint

# Build once, then lint (scripts/lint, counted in the summary like a suite), unit tests, integration tests, browser
# tests, then the C++ suites under ASan + UBSan and a few seconds of each fuzz target (build-asan/; scripts/test, docs/testing.md).
test: build
	@scripts/test

# Each libFuzzer target for FUZZ_SECONDS (default 60) over its seed corpus (scripts/fuzz, docs/testing.md).
fuzz: deps
	@scripts/fuzz

# Off EC2 the metadata service does not exist: do not look for it unless asked (AWS_EC2_METADATA_DISABLED=false).
run: build
	@mkdir -p $(DATA_DIR)
	AWS_EC2_METADATA_DISABLED=$${AWS_EC2_METADATA_DISABLED:-true} $(BIN) serve --listen $(LISTEN) --data-dir $(DATA_DIR) $(if $(wildcard web/dist/index.html),--web-root web/dist,)

demo: build
	@scripts/demo

bench: build
	@scripts/bench

# Fleet-scale benchmark (issue 10): seeds 1,000 and 10,000 accounts x 2 regions, loads each fleet route with wrk
# and prints a Markdown table with RSS (scripts/bench-fleet, docs/benchmarks.md "Fleet scale"; not part of `make test`).
.PHONY: bench-fleet
bench-fleet: build
	@BUILD_DIR=$(BUILD_DIR) scripts/bench-fleet

# AWS calls per fleet refresh with 1 and 3 instances on DynamoDB (scripts/bench-instances, docs/benchmarks.md
# "Several instances"; not part of `make test`).
.PHONY: bench-instances
bench-instances: build
	@BUILD_DIR=$(BUILD_DIR) scripts/bench-instances

# Soak test (60 s at 64 connections against the server and the AWS simulator; not part of `make test`).
.PHONY: soak
soak: build
	@BUILD_DIR=$(BUILD_DIR) scripts/soak

clean:
	rm -rf $(BUILD_DIR) build-asan
