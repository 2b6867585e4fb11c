# Two commands for a fresh machine: `make run` and `make test`. Both honour DATABASE_URL.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test install-bench lock check-lock lint typecheck format messages bench bench-full profile drills mutation worker daily clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Every dependency, direct and indirect, comes from a lock file with hashes (`make lock` writes them from
# pyproject.toml); then Kyodo itself, without resolving anything again.
LOCK_INSTALL = $(PIP) install --quiet --require-hashes -r
SELF_INSTALL = $(PIP) install --quiet --no-deps -e .

$(VENV)/.installed: pyproject.toml requirements.lock | $(VENV)/bin/activate
	$(LOCK_INSTALL) requirements.lock
	$(SELF_INSTALL)
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock | $(VENV)/bin/activate
	$(LOCK_INSTALL) requirements-test.lock
	$(SELF_INSTALL)
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml requirements-bench.lock | $(VENV)/bin/activate
	$(LOCK_INSTALL) requirements-bench.lock
	$(SELF_INSTALL)
	touch $(VENV)/.installed $(VENV)/.installed-test $@

# Rewrite the lock files from pyproject.toml (after adding, removing or bumping a dependency): production,
# then the test tools and the bench tools, each constrained by the one before so that all three agree.
# Keeps the versions already locked where pyproject allows; UPGRADE=1 takes the newest instead.
# uv comes from the [test] extra; `make check-lock` (run by CI) tells when the locks are out of date.
UV := $(VENV)/bin/uv
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)
lock: install-test
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --extra test -c requirements.lock -o requirements-test.lock
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --extra test --extra bench -c requirements-test.lock -o requirements-bench.lock
	$(PYTHON) tools/check_lock.py

check-lock:
	$(PYTHON) tools/check_lock.py

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

# Development targets run with DEBUG=1 explicitly: unset, DEBUG is off (production).
# Mail links and QR codes point at the server `make run` starts (SITE_URL=… overrides).
SITE_URL ?= http://$(HOST):$(PORT)
DEV := DEBUG=1 SITE_URL=$(SITE_URL)

run: install
	mkdir -p var/static  # the settings create nothing on disk: the SQLite file's folder and STATIC_ROOT
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createcachetable
	$(DEV) $(PY) manage.py load_demo --if-empty
	$(DEV) $(PY) manage.py print_demo_signins
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Types (django-stubs; settings in pyproject.toml [tool.mypy]).
typecheck: install-test
	$(DEV) $(VENV)/bin/mypy kyodo

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate and compile the Japanese catalogues (needs GNU gettext; the compiled .mo files are committed).
# Regenerate and compile each app's Japanese catalogue (needs GNU gettext; the .mo files are committed).
APPS := core groups lending consultations community rooms reports api
messages: install-test
	for app in $(APPS); do \
	  (cd kyodo/$$app && mkdir -p locale && \
	   $(DEV) DJANGO_SETTINGS_MODULE=kyodo.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(VENV)/bin/django-admin makemessages -l ja --no-obsolete --ignore 'tests/*' && \
	   $(DEV) DJANGO_SETTINGS_MODULE=kyodo.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(VENV)/bin/django-admin compilemessages -l ja) || exit 1; \
	done

# Benchmarks (not part of `make test`): gunicorn on SQLite then PostgreSQL, seeded at BENCH_SCALE of the
# issue's full size (0.1 = 100,000 reservations, ~15 minutes on 2 cores); `make bench-full` seeds 1,000,000.
# KYODO_BENCH=1 mounts the floor page and the query counter (bench/common.py sets it for each server too).
BENCH_SCALE ?= 0.1
bench: install-bench
	KYODO_BENCH=1 $(PY) bench/run.py --scale $(BENCH_SCALE)

bench-full: install-bench
	KYODO_BENCH=1 $(PY) bench/run.py --scale 1

# In-process timings and SQL per scenario on seeded data (no server); PROFILE_ARGS="--profile --only events"
# prints pyinstrument's call tree. For finding a cause and comparing before/after, not for the README tables.
profile: install-bench
	KYODO_BENCH=1 $(PY) bench/profile_scenarios.py --db sqlite --scale $(BENCH_SCALE) $(PROFILE_ARGS)

# Fault drills (race, mail outage, worker SIGKILL, PostgreSQL restart, backup/restore): PASS/FAIL lines.
drills: install-bench
	KYODO_BENCH=1 $(PY) bench/drills/run_all.py

# Mutation testing of the rule modules (tools/mutation.toml; results in docs/MUTATION.md). MUTATION_ARGS:
# module paths, `--changed` (only the modules a branch touched), `--list`. Under 30 minutes on 2 cores.
mutation: install-test
	$(PY) tools/mutation.py $(if $(MUTATION_ARGS),$(MUTATION_ARGS),--report docs/MUTATION.md)

worker: install
	$(DEV) $(PY) manage.py deliver_mail --loop

daily: install
	$(DEV) $(PY) manage.py daily

clean:
	rm -rf $(VENV) var/*.sqlite3*
