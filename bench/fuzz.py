"""schemathesis against the running bench server: at least N cases over every /api/v1 operation, with a
member's valid token. Fails on a 5xx or a response that does not match the schema.

    python bench/fuzz.py BASE_URL TOKEN [--cases 1000]     (bench/run.py calls run() itself)
"""

import argparse
import json
import math
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
REPORT = ROOT / "var" / "bench" / "schemathesis"


def operations(base):
    with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=10) as response:
        schema = json.load(response)
    return sum(len(methods) for methods in schema["paths"].values())


def run(base, ctx, cases=1000):
    """Run the CLI with enough examples per operation for `cases` in total; summary from its JSON report."""
    token = ctx["clients"][0]["token"] if ctx["clients"] else ""
    n_ops = operations(base)
    per_op = max(10, math.ceil(cases / max(1, n_ops)))
    REPORT.mkdir(parents=True, exist_ok=True)
    ndjson = REPORT / "events.ndjson"
    command = [
        str(Path(sys.executable).with_name("st")), "run", base + "/api/v1/openapi.json",
        "--checks", CHECKS, "--max-examples", str(per_op), "--seed", "1", "--workers", "2",
        "--header", f"Authorization: Bearer {token}", "--request-timeout", "15",
        "--phases", "examples,coverage,fuzzing", "--report", "ndjson", "--report-ndjson-path", str(ndjson),
        "--no-color",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    (REPORT / "output.txt").write_text(result.stdout + result.stderr)
    tail = [line for line in result.stdout.splitlines() if line.strip()][-12:]
    cases_run = _count_cases(result.stdout)
    summary = (
        f"{'PASS' if result.returncode == 0 else 'FAIL'}: {cases_run} test cases over {n_ops} operations "
        f"({per_op} max examples each), exit {result.returncode}"
    )
    print("\n".join(tail), flush=True)
    return {"passed": result.returncode == 0, "cases": cases_run, "operations": n_ops, "summary": summary,
            "output": str(REPORT / "output.txt")}  # fmt: skip


def _count_cases(text):
    # "Test cases:\n  1234 generated, 1234 passed" (schemathesis 4 summary)
    for line in text.splitlines():
        words = line.replace(",", " ").split()
        if "generated" in words:
            index = words.index("generated")
            if index > 0 and words[index - 1].isdigit():
                return int(words[index - 1])
    return None


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    outcome = run(args.base, {"clients": [{"token": args.token}]}, args.cases)
    print(outcome["summary"])
    sys.exit(0 if outcome["passed"] else 1)
