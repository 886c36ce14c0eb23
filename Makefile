# Two entry points on a fresh machine:  `make run` (install + demo)  and  `make test` (install + tests).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# llama-cpp-python compiles here (no wheel for this machine): portable (still AVX2/FMA), and pip's
# wheel cache makes every later install fast.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
HOME_DIR ?= duetto-studio

.PHONY: run test install install-test system-deps corpus bench bench-text clean

# The reference corpus of classical poems (npm package chinese-poetry, MIT), shared by every clone.
CORPUS_PREFIX ?= $(HOME)/.cache/duetto/npm
CORPUS := $(CORPUS_PREFIX)/node_modules/chinese-poetry/package.json

$(CORPUS):
	npm install --prefix $(CORPUS_PREFIX) --no-audit --no-fund --loglevel=error chinese-poetry@2.0.1

# English syllables and rhymes: the CMU Pronouncing Dictionary as JSON (npm, ISC; v2 ships plain JSON).
CMUDICT := $(CORPUS_PREFIX)/node_modules/cmu-pronouncing-dictionary/index.json

$(CMUDICT):
	npm install --prefix $(CORPUS_PREFIX) --no-audit --no-fund --loglevel=error cmu-pronouncing-dictionary@2.0.0

corpus: $(CORPUS) $(CMUDICT)

# An independent C2PA reader for the provenance tests: npm @trustnxt/c2pa-ts (Apache-2.0), pure
# TypeScript, sharing no code with the c2pa-rs library that signs (tests/unit/test_c2pa_ts.py).
C2PATS := $(CORPUS_PREFIX)/node_modules/@trustnxt/c2pa-ts/package.json

$(C2PATS):
	npm install --prefix $(CORPUS_PREFIX) --no-audit --no-fund --loglevel=error @trustnxt/c2pa-ts@0.9.4

system-deps:
	@bash scripts/system-deps.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Install, run the co-creation loop once on the seed brief (writes ./duetto-studio), then serve
## the web studio on http://127.0.0.1:8000/ until Ctrl-C. Without a terminal (scripts, CI) the
## server stops by itself after SERVE_FOR seconds, so `make run` always finishes there.
SERVE_FOR ?= 20
run: install system-deps corpus
	$(BIN)/duetto demo --home $(HOME_DIR)
	@if [ -t 0 ] && [ -t 1 ] && [ -z "$(CI)" ]; then $(BIN)/duetto serve --home $(HOME_DIR); \
	else $(BIN)/duetto serve --home $(HOME_DIR) --for $(SERVE_FOR); fi

## Install what the tests need, then run the whole suite in two passes: the tests that run a
## language model or a browser one at a time (two llama.cpp runs on two cores starve each other
## past their timeouts), then the rest with one worker per core, each test file on one worker.
## TEST_WORKERS=0 runs the second pass in one process too. Bytecode is written even where the
## environment says not to (PYTHONDONTWRITEBYTECODE): else every CLI test's subprocess and every
## worker compiles duetto's sources again (about 0.4 s of CPU a command).
TEST_WORKERS ?= 2
test: export PYTHONDONTWRITEBYTECODE =
test: install-test system-deps corpus $(C2PATS)
	$(BIN)/python -m pytest -m "model or browser" --durations=15
	$(BIN)/python -m pytest -m "not model and not browser" -n $(TEST_WORKERS) --dist loadfile --durations=25

## Speed and memory figures (not part of the tests).
bench: install
	$(BIN)/python benchmarks/bench_painter.py
	$(BIN)/python benchmarks/bench_revise.py
	$(BIN)/python benchmarks/bench_lineage.py
	$(BIN)/python benchmarks/bench_motifs.py
	$(BIN)/python benchmarks/bench_palette.py
	$(BIN)/python benchmarks/bench_stylist.py
	$(BIN)/python benchmarks/bench_region.py
	$(BIN)/python benchmarks/bench_layout.py
	$(BIN)/python benchmarks/bench_animate.py
	$(BIN)/python benchmarks/bench_music.py
	$(BIN)/python benchmarks/bench_melody.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_cli.py
## The language-model figures take longer (minutes to an hour): poems, verse, briefs, providers.
bench-text: install corpus
	$(BIN)/python benchmarks/bench_llm.py
	$(BIN)/python benchmarks/bench_poems.py
	$(BIN)/python benchmarks/bench_verse.py
	$(BIN)/python benchmarks/bench_brief.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
