# selfmoa-lsp — the two commands a new user needs are `make demo` and `make test`.
# Both set up what they need (apt packages, the llama-server build, the model) idempotently.

SWIFT ?= swift
BIN := .build/debug/selfmoa-lsp

.PHONY: all setup setup-apt setup-1.5b build test test-swift test-editors test-lsp demo doctor fuzz clean

all: build

## Install apt packages, build llama-server and assemble the model into the per-user cache.
setup:
	@bash scripts/setup.sh all

setup-apt:
	@bash scripts/setup.sh apt

## The optional Qwen2.5-Coder-1.5B-Instruct (1.1 GB), for backend.model or aggregatorModel.
setup-1.5b:
	@bash scripts/setup.sh model-1.5b

build: setup-apt
	$(SWIFT) build

## Run every test: unit, in-process server, the real binary over pipes (stand-in backend and
## the real embedded model), the pytest-lsp suite, and the editor integrations in real Neovim
## and Emacs.
test: setup setup-1.5b
	$(SWIFT) build --build-tests
	$(MAKE) test-swift test-lsp test-editors

## The load test keeps every core busy on purpose: it runs alone, after the rest, so tests with
## short timeouts are never starved by it.
test-swift:
	$(SWIFT) test --skip-build --skip BusyBackendLoadTests
	$(SWIFT) test --skip-build --filter BusyBackendLoadTests

## The pytest-lsp suite: the binary as Neovim and Emacs announce themselves, spec checks on.
test-lsp:
	SELFMOA_LSP=$(CURDIR)/$(BIN) bash scripts/run-pytest-lsp.sh

test-editors:
	bash editors/run-tests.sh

## Explain and review a sample file through the real stdio server on the embedded default.
demo: setup build
	@$(BIN) demo examples/inventory.py

## Check the configured backend end to end.
doctor: build
	@$(BIN) doctor

## Fuzz the framing reader, the JSON layer, LSP params decoding and the whole server with
## libFuzzer and AddressSanitizer, FUZZ_SECONDS each; see FUZZING.md.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= framer json params server

fuzz: setup-apt
	@for target in $(FUZZ_TARGETS); do \
		SELFMOA_FUZZ=1 $(SWIFT) build --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer,address \
			--product fuzz-$$target || exit 1; \
	done
	bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build

## Benchmarks: `make bench`, or one part (`make bench-help` lists them; see bench/README.md).
include bench/Makefile.fragment
