# selfmoa-lsp — the two commands a new user needs are `make demo` and `make test`.
# Both set up what they need (apt packages, the llama-server build, the model) idempotently.

SWIFT ?= swift
BIN := .build/debug/selfmoa-lsp

.PHONY: all setup build test test-swift test-editors test-lsp demo bench fuzz clean

all: build

## Install apt packages, build llama-server and assemble the model into the per-user cache.
setup:
	@bash scripts/setup.sh all

build: setup-apt
	$(SWIFT) build

setup-apt:
	@bash scripts/setup.sh apt

## Run every test: unit, in-process server, real binary over pipes, real model end to end.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Explain and review a sample file through the real stdio server on the embedded default.
demo: setup build
	@$(BIN) demo examples/inventory.py

clean:
	rm -rf .build
