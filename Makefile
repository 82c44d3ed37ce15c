# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEMO_REGENCY ?= 32.04

.PHONY: run test install install-dev migrate demo lint lock messages check-translations deploy-check worker beat

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Polmas Portal needs Python 3.11 or newer."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv (apt-get install python3-venv)."; exit 1; }
	$(PIP) install --quiet --upgrade pip

# Installs exactly what CI tested: requirements.lock constrains every package.
$(VENV)/.installed: $(PY) pyproject.toml requirements.lock
	$(PIP) install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

# axe-core, which the browser tests inject into pages, from the npm registry (never served).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py import_territory --regency $(DEMO_REGENCY)
	$(PY) manage.py seed_demo --regency $(DEMO_REGENCY)

run: demo
	@echo "Polmas Portal: http://127.0.0.1:8000"
	$(PY) manage.py runserver 127.0.0.1:8000

# Two passes: most tests side by side on TEST_WORKERS processes (each with its own test database),
# then those marked `serial` alone (browser, real Celery worker, PostgreSQL restart). Exit code 5
# is "no test selected": fine for one pass (PYTEST_ARGS may name tests of one kind), a failure
# for both. PYTEST_ARGS with its own -m runs one pass, alone.
TEST_WORKERS ?= 2
test: install-dev node_modules/.installed
	@case " $(PYTEST_ARGS) " in *" -m "*) exec $(PY) -m pytest $(PYTEST_ARGS);; esac; \
	failed=0; empty=0; \
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not serial" $(PYTEST_ARGS); \
	case $$? in 0) ;; 5) empty=$$((empty + 1));; *) failed=1;; esac; \
	$(PY) -m pytest -m serial $(PYTEST_ARGS); \
	case $$? in 0) ;; 5) empty=$$((empty + 1));; *) failed=1;; esac; \
	[ $$empty -lt 2 ] || { echo "No test matches PYTEST_ARGS."; exit 5; }; \
	exit $$failed

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate the lock after changing dependencies in pyproject.toml.
lock: install-dev
	$(PIP) install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock

# Needs gettext (apt-get install gettext). Updates the catalogue, then fill in locale/id.
messages: install-dev
	$(PY) manage.py makemessages --locale id --no-obsolete --no-location --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

check-translations: install-dev
	$(PY) manage.py check_translations

deploy-check: install
	DJANGO_DEBUG=false SECRET_KEY=deploy-check-$$(date +%s)-not-a-real-secret-but-long-enough-xxxxxxxx \
	ALLOWED_HOSTS=polmas.example.org DATABASE_URL=postgres://polmas@db:5432/polmas \
	REDIS_URL=redis://redis:6379/0 $(PY) manage.py check --deploy --fail-level WARNING

worker: install
	$(VENV)/bin/celery -A portal worker --loglevel INFO

beat: install
	$(VENV)/bin/celery -A portal beat --loglevel INFO
