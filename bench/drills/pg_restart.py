"""PostgreSQL restart drill: under load, the PostgreSQL cluster is stopped and started again.

PASS when /healthz answers 503 while the database is down and 200 again afterwards, and pages answer
200 again, all without restarting the app. The cluster is left running (it is a shared service).

    python bench/drills/pg_restart.py
"""

import subprocess
import time

from drill import Background, common, seeded_env, verdict

CLUSTER = ["15", "main"]


def pg_ctl(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, action, *(["-m", "fast"] if action == "stop" else [])],
                   check=True, timeout=120, capture_output=True)  # fmt: skip


def pg_ready():
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True, timeout=10
        ).returncode
        == 0
    )


def run():
    env = seeded_env("postgresql")
    with (
        common.Server(env, timeout=60) as server,
        Background(server.base, ["/healthz", "/equipment/"]) as load,
    ):
        time.sleep(3)
        stopped_at = time.monotonic()
        try:
            pg_ctl("stop")  # returns once the server is down
            down_from = time.monotonic()
            time.sleep(4)  # down long enough to be seen
        finally:
            down_until = time.monotonic()
            pg_ctl("start")  # always bring the shared service back
        started_at = time.monotonic()
        deadline = started_at + 60
        while not pg_ready() and time.monotonic() < deadline:
            time.sleep(0.5)
        recovered_at = None
        while time.monotonic() < deadline:
            if server.healthz() == 200:
                recovered_at = time.monotonic()
                break
            time.sleep(0.2)
        time.sleep(3)
        pids = server.worker_pids()
    down = [s for t, p, s in load.records if p == "/healthz" and down_from + 0.2 < t < down_until]
    after = [s for t, p, s in load.records if recovered_at and t > recovered_at + 1]
    passed = (
        bool(down)
        and all(s == 503 for s in down)
        and recovered_at is not None
        and after
        and all(s == 200 for s in after)
    )
    return [
        verdict(
            "PostgreSQL restart",
            passed,
            f"down {round(started_at - stopped_at, 1)} s: /healthz while down {sorted(set(down))} ({len(down)} checks); "
            f"200 again {round((recovered_at or started_at) - started_at, 1)} s after start; "
            f"after recovery {len(after)} answers {sorted(set(after))}; same gunicorn master, workers {pids}; "
            f"cluster running: {pg_ready()}",
        )
    ]


if __name__ == "__main__":
    results = run()
    raise SystemExit(0 if all(passed for passed, _ in results) else 1)
