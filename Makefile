# The commands of ../shared/PRODUCT.md. A fresh clone needs only python3
# (3.11+, with venv), make and git: the first target creates .venv/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
NODE_DEPS := node_modules/.installed
LANGUAGES := nb sv fi et en

.DEFAULT_GOAL := help
.PHONY: help serve build site publish test check new preview newsletter-status test-send \
	bench clean lint format messages screenshots hooks import calendar tidy

help:
	@echo "Authors:     make serve | build | check | new TIP_LANG=.. TITLE=\"..\" | new TIP_LANG=.. FROM=<slug> | preview SLUG=<slug>"
	@echo "Editors:     make calendar | tidy"
	@echo "Moving in:   make import EXPORT=<file> TIP_LANG=.. [SERIES=..] [PAIRS=<csv>] [DRY_RUN=1] (docs/import.md)"
	@echo "Publishing:  make site | publish | newsletter-status | test-send SLUG=<slug> TO=<address>"
	@echo "Developers:  make test | lint | format | messages | screenshots | hooks | bench [N=1000] [QUICK=1] [PROFILE=1] | clean"
	@echo "See README.md and docs/authoring.md."

# The venv, with our plugins importable as pelican.plugins.* (a .pth file:
# PLUGIN_PATHS alone does not make a namespace plugin importable).
$(RUNTIME): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -c "import os, sysconfig; open(os.path.join(sysconfig.get_paths()['purelib'], 'weekly_tips.pth'), 'w').write(os.path.abspath('plugins') + '\n' + os.path.abspath('.') + '\n')"
	touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

serve: $(RUNTIME)
	$(PY) -m scripts.serve --settings pelicanconf.py

build: $(RUNTIME)
	$(PY) -m scripts.build --settings pelicanconf.py

site: $(RUNTIME)
	$(PY) -m scripts.build --settings publishconf.py --no-outbox --staged

# The production build, then the due emails through NEWSLETTER_BACKEND.
publish: $(RUNTIME)
	$(PY) -m scripts.publish --settings publishconf.py

# The tip's email in each of its languages to one address (TO=), never to subscribers.
test-send: $(RUNTIME)
	@$(PY) -m scripts.test_send --settings pelicanconf.py --slug "$$SLUG" --to "$$TO"

newsletter-status: $(RUNTIME)
	$(PY) -m scripts.newsletter_status --settings publishconf.py

check: $(RUNTIME)
	$(PY) -m scripts.check --settings pelicanconf.py

# The last 4 and next 8 weeks of the weekly series, by language.
calendar: $(RUNTIME)
	@$(PY) -m scripts.calendar_report --settings pelicanconf.py

# Rename content files to the naming convention (git mv in a git checkout).
tidy: $(RUNTIME)
	@$(PY) -m scripts.tidy --settings pelicanconf.py

# Arguments come through the environment (make exports command-line variables),
# so a TITLE with quotes or $ reaches the script as typed.
new: $(RUNTIME)
	@$(PY) -m scripts.new_tip --settings pelicanconf.py --lang "$$TIP_LANG" --title "$$TITLE" \
		--from "$$FROM" --slug "$$SLUG" --author "$$AUTHOR" --date "$$DATE"

preview: $(RUNTIME)
	@$(PY) -m scripts.preview --settings pelicanconf.py --slug "$$SLUG"

# The checkers the test suite runs over the built site (Nu HTML Checker, axe-core),
# exactly as package-lock.json pins them. No install scripts: nothing is downloaded.
$(NODE_DEPS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(DEV) $(NODE_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Run make check and ruff before every commit (.pre-commit-config.yaml).
hooks: $(DEV)
	$(BIN)/pre-commit install

# Extract interface strings and merge them into every language's catalog.
messages: $(RUNTIME)
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg \
		-o theme/translations/messages.pot .
	for l in $(LANGUAGES); do \
		if [ -f theme/translations/$$l/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel --quiet update --no-fuzzy-matching -i theme/translations/messages.pot \
				-d theme/translations -l $$l; \
		else \
			$(BIN)/pybabel init -i theme/translations/messages.pot -d theme/translations -l $$l; \
		fi; \
	done

# Mobile and desktop screenshots of the home page and a tip, shown in the README.
screenshots: $(DEV)
	$(PY) -m scripts.screenshots --output docs/screenshots

# make bench [N=1000] [REPEAT=3] [QUICK=1] [PROFILE=1]: N tips per language, five
# languages; every figure of issue 16 with its target; exits 1 when one is missed.
# QUICK=1 times each figure once; PROFILE=1 profiles each figure that missed.
N ?= 1000
REPEAT ?= 3
bench: $(RUNTIME)
	$(PY) -m scripts.bench --per-language $(N) --repeat $(REPEAT) $(if $(QUICK),--quick) \
		$(if $(PROFILE),--profile)

clean:
	rm -rf output outbox cache

# make import EXPORT=<file> TIP_LANG=<lang> [SERIES=..] [UPLOADS=..] [DOWNLOAD=0] [PAIRS=..] [DRY_RUN=1]
# (docs/import.md). Arguments come through the environment, as for make new.
import: $(RUNTIME)
	@$(PY) -m scripts.import_blog --settings pelicanconf.py --export "$$EXPORT" --lang "$$TIP_LANG" \
		--series "$$SERIES" --uploads "$$UPLOADS" --download "$${DOWNLOAD:-1}" \
		--pairs "$$PAIRS" --dry-run "$$DRY_RUN"
