# The commands of ../shared/PRODUCT.md. A fresh clone needs only python3
# (3.11+, with venv), make and git: the first target creates .venv/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
LANGUAGES := nb sv fi et en

.DEFAULT_GOAL := help
.PHONY: help serve build site publish test check new preview newsletter-status \
	bench clean lint format messages

help:
	@echo "make serve | build | check | new | preview | site | publish | newsletter-status | test | bench | clean"

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
	$(PY) -m scripts.build --settings publishconf.py --no-outbox

# The production build, then the due emails through NEWSLETTER_BACKEND.
publish: $(RUNTIME)
	$(PY) -m scripts.publish --settings publishconf.py

newsletter-status: $(RUNTIME)
	$(PY) -m scripts.newsletter_status --settings publishconf.py

check: $(RUNTIME)
	$(PY) -m scripts.check --settings pelicanconf.py

test: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

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

clean:
	rm -rf output outbox cache
