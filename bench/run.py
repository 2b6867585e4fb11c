"""The Kyodo bench: gunicorn (2 workers, production settings) on SQLite, then PostgreSQL; an asyncio load
client in this separate process; every scenario measured on an (almost) empty database and on seeded data.

    python bench/run.py [--db sqlite postgresql] [--scale 0.1] [--seconds 8] [--fuzz-cases 1000]

Writes bench/results/<date>-<db>.json, .md and .png, and prints each target as met / not met.
"""

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import load  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402

RESULTS = common.ROOT / "bench" / "results"
# "Empty": one location, a handful of users and groups, no domain rows beyond what a page needs to exist.
EMPTY_SEED = ["--scale", "0.0001", "--users", "20", "--groups", "10", "--equipment-types", "3", "--units", "6",
              "--reservations", "0", "--consultations", "0", "--events", "0", "--news", "0"]  # fmt: skip
TARGETS = {
    "floor_ratio": 3.0,
    "empty_ratio": 1.3,
    "max_queries": 12,
    "booking_throughput_ratio": 0.3,
    "contended_p99_ms": 1000,
    "rss_mb": 200,
}


def machine():
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def run_scenarios(server, ctx, pages_only, seconds, warmup_seconds):
    out, rss = {}, []
    for scenario in SCENARIOS:
        if pages_only and not scenario.page:
            continue
        make = scenario.make(ctx)
        if make is None:
            out[scenario.name] = {"available": False, "note": "not available yet"}
            common.log(f"  {scenario.name:22} not available yet")
            continue
        # Warm-up: code paths, caches and connections, not measured.
        load.run(server.base, make, scenario.concurrency, limit=200, seconds=warmup_seconds)
        if not scenario.page:  # new bookings, not the warm-up's leftovers
            offset = 10_000
            make = (lambda m, o: lambda i: m(i + o))(make, offset)
        result = load.run(
            server.base,
            make,
            scenario.concurrency,
            limit=20_000,
            seconds=seconds,
            ok_statuses=scenario.ok_statuses,
        )
        summary = {"available": True, **result.summary()}
        summary["worker_rss_mb"] = round(max(server.worker_rss_mb().values(), default=0), 1)
        rss.append(summary["worker_rss_mb"])
        out[scenario.name] = summary
        common.log(
            f"  {scenario.name:22} {summary['rps']:8.1f} req/s  p50 {summary['p50_ms']:7.1f} ms  "
            f"p99 {summary['p99_ms']:7.1f} ms  queries {summary['queries_per_request']}  "
            f"errors {summary['errors']}  {summary['statuses']}"
        )
    return out, max(rss, default=0)


def phase(db, url, seed_args, pages_only, args):
    env = common.environment(url)
    started = time.monotonic()
    seeded = common.manage(env, "seed_scale", "--flush", "--seed", "1", *seed_args, timeout=7200, quiet=True)
    seed_seconds = round(time.monotonic() - started, 1)
    print(seeded.stdout.rstrip(), flush=True)
    ctx = common.bench_context(env)
    load_before = [round(x, 2) for x in os.getloadavg()]
    with common.Server(env) as server:
        results, rss = run_scenarios(server, ctx, pages_only, args.seconds, args.warmup)
    load_after = [round(x, 2) for x in os.getloadavg()]
    fuzz = None
    if not pages_only and args.fuzz_cases and db == args.db[0]:
        import fuzz as fuzz_module

        with common.Server(env) as server:
            fuzz = fuzz_module.run(server.base, ctx, args.fuzz_cases)
    return {"seed_seconds": seed_seconds, "seed_report": seeded.stdout.splitlines(), "scenarios": results,
            "worker_rss_mb_max": rss, "fuzz": fuzz, "load_average": {"before": load_before, "after": load_after}}  # fmt: skip


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def evaluate(empty, full):
    """Ratios and the issue's targets (met / not met) from one run's two phases."""
    floor_full = full["scenarios"]["floor"]
    rows, targets = [], []
    for scenario in SCENARIOS:
        f = full["scenarios"].get(scenario.name, {})
        e = empty["scenarios"].get(scenario.name, {})
        row = {"name": scenario.name, "title": scenario.title, "available": f.get("available", False)}
        if not row["available"]:
            rows.append(row)
            continue
        row.update(f)
        row["p50_floor_ratio"] = ratio(f["p50_ms"], floor_full["p50_ms"])
        row["rps_floor_ratio"] = ratio(f["rps"], floor_full["rps"])
        if e.get("available"):
            row["empty_p50_ms"] = e["p50_ms"]
            row["p50_empty_ratio"] = ratio(f["p50_ms"], e["p50_ms"])
            row["empty_queries"] = e["queries_per_request"]
        rows.append(row)
        if scenario.page and scenario.name != "floor":
            targets.append((f"{scenario.name}: p50 ≤ {TARGETS['floor_ratio']}× floor",
                            row["p50_floor_ratio"] is not None and row["p50_floor_ratio"] <= TARGETS["floor_ratio"],
                            f"{row['p50_floor_ratio']}×"))  # fmt: skip
            targets.append((f"{scenario.name}: p50 ≤ {TARGETS['empty_ratio']}× empty database",
                            row.get("p50_empty_ratio") is not None and row["p50_empty_ratio"] <= TARGETS["empty_ratio"],
                            f"{row.get('p50_empty_ratio')}×"))  # fmt: skip
        if scenario.page:
            q, qe = f["queries_per_request"], row.get("empty_queries")
            targets.append((f"{scenario.name}: ≤ {TARGETS['max_queries']} queries, same on empty and full",
                            q is not None and q <= TARGETS["max_queries"] and q == qe, f"{qe} → {q}"))  # fmt: skip
        if scenario.page and f["errors"]:
            targets.append((f"{scenario.name}: no errors", False, f"{f['errors']} errors {f['statuses']}"))
        if scenario.name == "booking_many":
            targets.append((f"booking_many: ≥ {TARGETS['booking_throughput_ratio']}× floor throughput",
                            (row["rps_floor_ratio"] or 0) >= TARGETS["booking_throughput_ratio"],
                            f"{row['rps_floor_ratio']}×"))  # fmt: skip
        if scenario.name == "booking_contended":
            only = set(f["statuses"]) <= {"201", "409"} and not f["exceptions"]
            targets.append(("booking_contended: only 201/409, p99 < 1 s",
                            only and f["p99_ms"] < TARGETS["contended_p99_ms"],
                            f"{f['statuses']}, p99 {f['p99_ms']} ms"))  # fmt: skip
    rss = max(full["worker_rss_mb_max"], empty["worker_rss_mb_max"])
    targets.append((f"worker RSS < {TARGETS['rss_mb']} MB", rss < TARGETS["rss_mb"], f"{rss} MB"))
    return rows, [{"target": t, "met": bool(m), "measured": v} for t, m, v in targets]


def markdown(report):
    lines = [
        f"### {report['db']} — {report['date']}, scale {report['scale']} ({report['reservations']})",
        "",
        f"Machine: {report['machine']['cores']} cores ({report['machine']['cpu']}), "
        f"{report['machine']['memory_gb']} GB; gunicorn 2 sync workers; load client: asyncio/httpx in a "
        f"separate process on the same machine. Load average (1/5/15 min) before / after the seeded run: "
        f"{report['full']['load_average']['before']} / {report['full']['load_average']['after']}.",
        "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | queries/req | p50 × floor | req/s × floor "
        "| p50 empty ms | p50 × empty |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["rows"]:
        if not row["available"]:
            lines.append(f"| {row['title']} | not available yet | | | | | | | | | |")
            continue
        lines.append(
            f"| {row['title']} | {row['rps']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | "
            f"{row['errors']} | {row['queries_per_request']} | {row['p50_floor_ratio']} | {row['rps_floor_ratio']} | "
            f"{row.get('empty_p50_ms', '')} | {row.get('p50_empty_ratio', '')} |"
        )
    lines += ["", "| target | met | measured |", "|---|---|---|"]
    for t in report["targets"]:
        lines.append(f"| {t['target']} | {'met' if t['met'] else '**not met**'} | {t['measured']} |")
    if report.get("fuzz"):
        fz = report["fuzz"]
        lines += ["", f"API fuzzing (schemathesis): {fz['summary']}"]
    return "\n".join(lines) + "\n"


def chart(report, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in report["rows"] if r["available"]]
    names = [r["name"] for r in rows]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.27
    for k, (key, label) in enumerate((("p50_ms", "p50"), ("p95_ms", "p95"), ("p99_ms", "p99"))):
        ax.bar([i + (k - 1) * width for i in range(len(rows))], [r[key] for r in rows], width, label=label)
    ax.set_xticks(range(len(rows)), names, rotation=20, ha="right")
    ax.set_ylabel("latency (ms)")
    ax.set_title(f"Kyodo latency by scenario — {report['db']}, scale {report['scale']}, {report['date']}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "0.1")))
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per scenario")
    parser.add_argument("--fuzz-cases", type=int, default=1000, help="schemathesis cases (0: skip)")
    parser.add_argument("--tag", default="", help="added to the result files' names")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    date = dt.date.today().isoformat()
    all_met = True
    for db in args.db:
        common.log(f"== {db}: fresh database, migrate, collectstatic")
        url = common.fresh_database(db)
        common.prepare(common.environment(url))
        common.log(f"== {db}: empty database")
        empty = phase(db, url, EMPTY_SEED, True, args)
        common.log(f"== {db}: seeded at scale {args.scale}")
        full = phase(db, url, ["--scale", str(args.scale)], False, args)
        rows, targets = evaluate(empty, full)
        reservations = next((ln.split()[1] for ln in full["seed_report"] if "reservation " in ln), "")
        report = {
            "db": db, "date": date, "scale": args.scale, "machine": machine(),
            "reservations": f"{reservations} reservations" if reservations else "see seed_report",
            "rows": rows, "targets": targets, "empty": empty, "full": full, "fuzz": full.get("fuzz"),
        }  # fmt: skip
        stem = RESULTS / (f"{date}-{db}" + (f"-{args.tag}" if args.tag else ""))
        stem.with_suffix(".json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
        stem.with_suffix(".md").write_text(markdown(report))
        chart(report, stem.with_suffix(".png"))
        for t in targets:
            common.log(f"  {'met    ' if t['met'] else 'NOT MET'}  {t['target']}  ({t['measured']})")
            all_met &= t["met"]
        if report["fuzz"]:
            common.log(f"  fuzz: {report['fuzz']['summary']}")
        common.log(f"== {db}: wrote {stem}.json/.md/.png")
    common.log("all targets met" if all_met else "some targets not met (see above)")


if __name__ == "__main__":
    main()
