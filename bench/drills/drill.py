"""Shared by the fault drills: a fresh seeded database, a gunicorn server, the PASS/FAIL line."""

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common  # noqa: E402,F401 - re-exported for the drills
import httpx  # noqa: E402

DB_NAMES = {"sqlite": "drill", "postgresql": "kyodo_bench_drill"}
# Two units per type: the race drill contends for the last units; 200 groups give 64+ distinct clients.
DRILL_SEED = [
    "--scale",
    "0.002",
    "--users",
    "400",
    "--groups",
    "200",
    "--equipment-types",
    "20",
    "--units",
    "40",
]


def seeded_env(db, seed_args=DRILL_SEED, **extra):
    """A fresh database for the drill, migrated and seeded; returns its environment."""
    url = common.fresh_database(db, DB_NAMES[db])
    env = common.environment(url, **extra)
    common.prepare(env)
    common.manage(env, "seed_scale", "--seed", "7", *seed_args, quiet=True, timeout=1800)
    return env


def verdict(name, passed, figures):
    line = f"{'PASS' if passed else 'FAIL'} {name}: {figures}"
    print(line, flush=True)
    return passed, line


def integrity_ok(env):
    result = common.manage(env, "check_integrity", check=False, quiet=True)
    return result.returncode == 0, result.stdout.strip().splitlines()


class Background:
    """GET requests in a thread until stopped (bounded by max_seconds), recording (time, status)."""

    def __init__(self, base, paths, max_seconds=120, pause=0.02):
        self.base, self.paths, self.max_seconds, self.pause = base, paths, max_seconds, pause
        self.records = []  # (monotonic time, status or None for a connection error)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        deadline = time.monotonic() + self.max_seconds
        with httpx.Client(base_url=self.base, timeout=10) as client:
            i = 0
            while not self._stop.is_set() and time.monotonic() < deadline:
                path = self.paths[i % len(self.paths)]
                i += 1
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError:
                    status = None
                self.records.append((time.monotonic(), path, status))
                time.sleep(self.pause)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)
