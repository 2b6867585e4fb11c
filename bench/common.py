"""Shared by bench/run.py and bench/drills: databases, manage.py, gunicorn, worker RSS.

Everything talks to 127.0.0.1 only, and every wait is bounded in time.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
VAR = ROOT / "var" / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BASE = PG_ADMIN_URL.rsplit("/", 1)[0]
PG_DB = os.environ.get("BENCH_PG_DB", "kyodo_bench")
SECRET = secrets.token_urlsafe(64)  # one per run: production settings refuse a weak key


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def database_url(db, name=None):
    if db == "sqlite":
        return f"sqlite:///{VAR / ((name or 'bench') + '.sqlite3')}"
    return f"{PG_BASE}/{name or PG_DB}"


def environment(db_url, bench=True, **extra):
    """Production settings for a load run (DEBUG off, strong key, rate limits off, no TLS redirect)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KYODO_"))}
    env.update(
        DATABASE_URL=db_url,
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        KYODO_RATE_LIMITS="off",
        SECURE_SSL_REDIRECT="0",
        KYODO_BENCH="1" if bench else "0",
        KYODO_VAR_DIR=str(VAR),
        KYODO_DELIVER_ON_COMMIT="0",
        EMAIL_URL="console://",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args, timeout=3600, check=True, quiet=False):
    result = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if not quiet and result.stdout.strip():
        print(result.stdout.rstrip(), flush=True)
    return result


def fresh_database(db, name=None):
    """An empty database for db ('sqlite' or 'postgresql'), returning its URL."""
    VAR.mkdir(parents=True, exist_ok=True)
    url = database_url(db, name)
    if db == "sqlite":
        base = VAR / ((name or "bench") + ".sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(str(base) + suffix).unlink(missing_ok=True)
    else:
        dbname = name or PG_DB
        psql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{dbname}"')
    return url


def psql(sql):
    subprocess.run(["psql", PG_ADMIN_URL, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, timeout=120,
                   capture_output=True)  # fmt: skip


def prepare(env):
    manage(env, "migrate", "--noinput", quiet=True)
    manage(env, "createcachetable", quiet=True)
    manage(env, "collectstatic", "--noinput", quiet=True, timeout=600)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with N sync workers on 127.0.0.1:<free port>."""

    def __init__(self, env, workers=2, timeout=30):
        self.env, self.workers, self.timeout = env, workers, timeout
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        log_file = open(VAR / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "kyodo.wsgi", "--workers", str(self.workers), "--bind",
             f"127.0.0.1:{self.port}", "--timeout", str(self.timeout), "--graceful-timeout", "5"],
            env=self.env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait_healthy(60)
        return self

    def wait_healthy(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            if self.healthz() == 200:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become healthy in time")

    def healthz(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=3) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def worker_pids(self):
        children = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            text = (task / "children").read_text().split()
            children += [int(pid) for pid in text]
        return children

    def worker_rss_mb(self):
        """{pid: resident set size in MB} of each worker, from /proc."""
        sizes = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) / 1024
            except FileNotFoundError:
                continue
        return sizes

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def bench_context(env, tokens=16):
    return json.loads(manage(env, "bench_context", "--tokens", str(tokens), quiet=True).stdout)
