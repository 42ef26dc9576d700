# Plainpress: `make` sets everything up and builds; `make test` sets up and runs the tests.
# Set-up is idempotent: each step leaves a stamp in .venv/ and is skipped while it holds.

SHELL         := /bin/bash
PYTHON        ?= python3
VENV          := .venv
PY            := $(VENV)/bin/python
# Debian packages the outputs need: fonts for Latin fallback, Arabic and CJK; fast font subsetting.
# GNU gettext lays PO files out the way translators' tools do (msgcat). poppler-utils: the
# text-fidelity gate reads every PDF back with `pdftotext` too (as Evince and Okular copy text).
# liblouis translates the braille outputs (the library and its tables; lou_translate, which the
# tests use as an independent reader). Our own ctypes binding loads liblouis.so.20, so the venv
# needs no system Python package (python3-louis is not used).
# The EPUB gates and the spoken edition: a Java runtime for EPUBCheck, Chromium for DAISY Ace,
# eSpeak NG (the voice) and opus-tools (opusenc, the Ogg Opus encoder).
SYSTEM_PACKAGES      := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 fontconfig gettext \
                        poppler-utils liblouis20 liblouis-data liblouis-bin \
                        default-jre-headless chromium espeak-ng opus-tools
# Extra packages the tests use: LibreOffice opens our DOCX files (page images come from
# poppler's pdftoppm, installed above); headless Chromium (above) runs axe-core on the HTML
# pages.
TEST_SYSTEM_PACKAGES := libreoffice-writer-nogui
AXE := tests/browser/node_modules/axe-core/axe.min.js
# DAISY Ace, the EPUB accessibility gate, from the npm registry, run on Debian's Chromium.
ACE := tools/ace/node_modules/@daisy/ace-cli/bin/ace.js

.PHONY: all build setup test test-latest lock check locales bench fuzz clean distclean

all: build

build: setup
	$(VENV)/bin/plainpress build

check: setup
	$(VENV)/bin/plainpress check

# Refresh locales/*.pot from the sources and merge them into every locale's PO files.
locales: setup
	$(VENV)/bin/plainpress i18n update

setup: $(VENV)/.installed $(VENV)/.system $(VENV)/.fonts $(ACE)

test: setup $(VENV)/.system-test $(AXE)
	$(PY) -m pytest

# axe-core from the npm registry (npm comes with the machine's Node.js, or from Debian).
$(AXE): tests/browser/package.json tests/browser/package-lock.json | $(VENV)/.system-test
	@command -v npm >/dev/null 2>&1 || { echo "installing system packages: nodejs npm"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

# Puppeteer's own browser download is skipped (no network for it; Ace runs Debian's chromium).
$(ACE): tools/ace/package.json tools/ace/package-lock.json | $(VENV)/.system
	@command -v npm >/dev/null 2>&1 || { echo "installing system packages: nodejs npm"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools/ace --ignore-scripts --no-audit --no-fund --silent
	touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)

# Every Python package comes from the lock, at its exact version and hash (runtime, test, bench
# and dev extras); the project itself is then installed on top without resolving anything.
$(VENV)/.installed: requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Re-resolve the lock from the ranges in pyproject.toml (then commit requirements.lock).
# Run `make test-latest` first to see whether the newest versions still pass.
lock: $(VENV)/.installed
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --generate-hashes --universal \
	  --python-version 3.11 --quiet -o requirements.lock
	@echo "requirements.lock rewritten; run make (or make test) to install it"

# The test suite against the newest versions pyproject.toml allows, in a throwaway venv: drift
# seen before `make lock` takes it in. Not part of `make test` or CI.
test-latest: $(VENV)/.system $(VENV)/.system-test $(VENV)/.fonts $(AXE) $(ACE)
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	  $(PYTHON) -m venv "$$d/venv" && \
	  "$$d/venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip && \
	  "$$d/venv/bin/pip" install --quiet --disable-pip-version-check '.[test]' && \
	  "$$d/venv/bin/pip" list --format=freeze | tr 'A-Z_' 'a-z-' > "$$d/latest.txt" && \
	  grep -oE '^[a-z0-9_.-]+==[^ ;]+' requirements.lock > "$$d/locked.txt" && \
	  echo "newest allowed versions that differ from requirements.lock:" && \
	  (grep -vxFf "$$d/locked.txt" "$$d/latest.txt" || echo "  none") && \
	  PLAINPRESS_TEST_LATEST=1 "$$d/venv/bin/python" -m pytest -p no:cacheprovider

# Installs only what is missing; uses apt-get as root, sudo otherwise.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

$(VENV)/.system: Makefile | $(PY)
	$(call apt_install,$(SYSTEM_PACKAGES))
	touch $@

$(VENV)/.system-test: Makefile | $(PY)
	$(call apt_install,$(TEST_SYSTEM_PACKAGES))
	touch $@

$(VENV)/.fonts: $(VENV)/.installed $(VENV)/.system styles/theme.toml
	$(PY) -m pipeline.settings.fonts install
	touch $@

# Not part of `make test`: builds a 50-document catalog (several minutes) and prints figures.
bench: setup
	$(PY) -m pipeline.devtools.bench

# The long property-based run (make test runs a short one with a fixed seed).
fuzz: setup
	@echo "make fuzz: 10,000 examples per property; about 30 minutes on 2 cores"
	PLAINPRESS_FUZZ_EXAMPLES=10000 $(PY) -m pytest tests/hostile/test_fuzz.py -q --durations=0

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) *.egg-info
