"""Mutation testing of Kyodo's rule modules: does a wrong rule fail a test?

Each mutant is one small change to one rule module (a `<` made `<=`, `and` made `or`, a `not` removed, a
constant ±1, `min` for `max`, a returned value made None, `+` for `-`, a branch negated). For each module
the tests that cover it (tools/mutation.toml) run once unmutated (the baseline, and the per-mutant
timeout), then once per mutant, on `--jobs` processes. A mutant is *killed* when a test fails, *timeout*
when the run takes longer than the timeout (counted as detected: the suite would hang), *survived*
when every test passes. Equivalent mutants — changes no input can tell apart — are listed with a reason
in tools/mutation_equivalent.toml and left out of the score:

    score = (killed + timeout) / (mutants − equivalent)

The source is never modified: a mutant is written to a temporary file, and the pytest plugin
tools/mutation_plugin.py makes `import <module>` load that file instead (a finder placed first on
sys.meta_path), so an interrupted run leaves nothing behind.

    python tools/mutation.py                      # every module of the configuration
    python tools/mutation.py kyodo/core/dates.py  # one module
    python tools/mutation.py --changed            # the modules (or their tests) changed since the merge
                                                  # base with origin/main, or HEAD~1
    python tools/mutation.py --list kyodo/core/dates.py   # the mutants, without running anything
    python tools/mutation.py --report docs/MUTATION.md    # also write the results table there

Exit status 1 when a module scores below the floor (mutation.toml), or its baseline fails.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime as dt
import hashlib
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tools" / "mutation.toml"
EQUIVALENT = ROOT / "tools" / "mutation_equivalent.toml"
NO_MUTATE = "pragma: no mutate"

# --- Mutants ----------------------------------------------------------------------------------------

COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {ast.Add: ast.Sub, ast.Sub: ast.Add}
CALL_SWAPS = {"min": "max", "max": "min"}


@dataclass(frozen=True)
class Mutant:
    index: int  # position in the module's enumeration (the order is the AST's, stable for one source)
    id: str  # stable across line shifts: the function, and a hash of the change and its occurrence
    line: int
    kind: str
    change: str  # "before → after"


@dataclass
class _Candidate:
    kind: str
    make: Callable[[], ast.AST]  # a new node replacing the visited one


def _candidates(node: ast.AST) -> Iterator[_Candidate]:
    """The mutations of one node, each building a replacement (the original node is left alone)."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap is not None:

                def make(i: int = i, swap: type[ast.cmpop] = swap) -> ast.AST:
                    new = copy.deepcopy(node)
                    new.ops[i] = swap()
                    return new

                yield _Candidate("compare", make)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And

        def make_boolop() -> ast.AST:
            new = copy.deepcopy(node)
            new.op = other()
            return new

        yield _Candidate("boolean", make_boolop)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield _Candidate("not", lambda: copy.deepcopy(node.operand))
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        yield _Candidate("constant", lambda: ast.Constant(not node.value))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        yield _Candidate("constant", lambda: ast.Constant(node.value + 1))
        yield _Candidate("constant", lambda: ast.Constant(node.value - 1))
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:

        def make_binop() -> ast.AST:
            new = copy.deepcopy(node)
            new.op = BINOP_SWAPS[type(node.op)]()
            return new

        yield _Candidate("arithmetic", make_binop)
    elif isinstance(node, ast.AugAssign) and type(node.op) in BINOP_SWAPS:

        def make_augassign() -> ast.AST:
            new = copy.deepcopy(node)
            new.op = BINOP_SWAPS[type(node.op)]()
            return new

        yield _Candidate("arithmetic", make_augassign)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALL_SWAPS:

        def make_call() -> ast.AST:
            new = copy.deepcopy(node)
            assert isinstance(new.func, ast.Name)  # noqa: S101  checked above; narrows the type
            new.func.id = CALL_SWAPS[new.func.id]
            return new

        yield _Candidate("min/max", make_call)
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield _Candidate("return", lambda: ast.Return(value=ast.Constant(None)))
    if isinstance(node, ast.If | ast.IfExp | ast.While):
        # A branch negated: `if x:` → `if not x:` (only the test is replaced, not the body).
        def make_negated() -> ast.AST:
            new = copy.copy(node)
            new.test = ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(node.test))
            return new

        test = node.test
        # Not where another mutant already is this one: `if not x` (the `not` removed), `if a == b`,
        # `if a is b`, `if a in b` (the operator swapped), `while True`.
        same = isinstance(test, ast.Constant) or (
            isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        )
        same = same or (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq | ast.NotEq | ast.Is | ast.IsNot | ast.In | ast.NotIn)
        )
        if not same:
            yield _Candidate("negate", make_negated)


def _short(node: ast.AST) -> str:
    if isinstance(node, ast.If | ast.While):
        text = ("if " if isinstance(node, ast.If) else "while ") + ast.unparse(node.test)
    else:
        text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "…"


class _Walker(ast.NodeTransformer):
    """Enumerates the mutation sites in one fixed order; with `target`, replaces that one site."""

    def __init__(self, source: str, target: int | None = None, functions: Sequence[str] = ()) -> None:
        self.lines = source.splitlines()
        self.target = target
        self.functions = set(functions)
        self.scope: list[str] = []
        self.count = 0
        self.sites: list[tuple[int, str, int, str, str]] = []  # (index, qualname, line, kind, change)
        self.applied = False

    def _skipped(self, node: ast.AST) -> bool:
        line = getattr(node, "lineno", None)
        if line is not None and NO_MUTATE in self.lines[line - 1]:
            return True
        if self.functions:
            top = self.scope[0] if self.scope else "<module>"
            return top not in self.functions
        return False

    def visit(self, node: ast.AST) -> ast.AST:
        if self.applied:
            return node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return self._visit_scope(node)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return node  # a docstring
        if isinstance(node, ast.JoinedStr | ast.AnnAssign | ast.Import | ast.ImportFrom):
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                node.value = self.visit(node.value)  # the value, not the annotation
            return node
        if not self._skipped(node):
            for candidate in _candidates(node):
                index = self.count
                self.count += 1
                if index == self.target:
                    self.applied = True
                    return ast.copy_location(candidate.make(), node)
                if self.target is None:
                    mutated = candidate.make()
                    change = f"{_short(node)} → {_short(mutated)}"
                    qualname = ".".join(self.scope) or "<module>"
                    self.sites.append((index, qualname, getattr(node, "lineno", 0), candidate.kind, change))
        return self.generic_visit(node)

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        self.scope.append(node.name)
        try:
            # The body only: decorators, annotations and defaults are not rules.
            node.body = [self.visit(child) for child in node.body]  # type: ignore[misc]
        finally:
            self.scope.pop()
        return node


def mutants_of(source: str, functions: Sequence[str] = ()) -> list[Mutant]:
    walker = _Walker(source, functions=functions)
    walker.visit(ast.parse(source))
    seen: dict[tuple[str, str], int] = {}
    mutants = []
    for index, qualname, line, kind, change in walker.sites:
        occurrence = seen.get((qualname, change), 0)
        seen[(qualname, change)] = occurrence + 1
        digest = hashlib.sha1(f"{qualname}|{change}|{occurrence}".encode(), usedforsecurity=False)
        mutants.append(Mutant(index, f"{qualname}:{digest.hexdigest()[:6]}", line, kind, change))
    return mutants


def mutated_source(source: str, mutant: Mutant | int, functions: Sequence[str] = ()) -> str:
    index = mutant.index if isinstance(mutant, Mutant) else mutant
    walker = _Walker(source, target=index, functions=functions)
    tree = walker.visit(ast.parse(source))
    if not walker.applied:
        raise ValueError(f"no mutation site {index}")
    return ast.unparse(ast.fix_missing_locations(tree))


# --- Configuration ----------------------------------------------------------------------------------


@dataclass
class ModuleConfig:
    path: str
    tests: list[str]
    args: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)

    @property
    def dotted(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")


@dataclass
class Config:
    modules: list[ModuleConfig]
    jobs: int = 2
    floor: float = 90.0
    timeout_factor: float = 3.0
    timeout_min: float = 30.0
    pytest_args: list[str] = field(default_factory=list)
    equivalent: dict[str, dict[str, str]] = field(default_factory=dict)


def load_config(path: Path = CONFIG, equivalent: Path = EQUIVALENT) -> Config:
    data = tomllib.loads(path.read_text())
    settings = data.get("settings", {})
    modules = [
        ModuleConfig(m["path"], list(m["tests"]), list(m.get("args", [])), list(m.get("functions", [])))
        for m in data.get("module", [])
    ]
    equivalents = tomllib.loads(equivalent.read_text()) if equivalent.exists() else {}
    return Config(
        modules=modules,
        jobs=int(settings.get("jobs", 2)),
        floor=float(settings.get("floor", 90)),
        timeout_factor=float(settings.get("timeout_factor", 3)),
        timeout_min=float(settings.get("timeout_min", 30)),
        pytest_args=list(settings.get("pytest_args", [])),
        equivalent={module: dict(entries) for module, entries in equivalents.items()},
    )


# --- Running ----------------------------------------------------------------------------------------

KILLED, SURVIVED, TIMEOUT, EQUIV = "killed", "survived", "timeout", "equivalent"


@dataclass
class Result:
    module: str
    outcomes: dict[str, str] = field(default_factory=dict)  # mutant id → outcome
    mutants: list[Mutant] = field(default_factory=list)
    baseline_seconds: float = 0.0
    seconds: float = 0.0
    error: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)

    @property
    def score(self) -> float | None:
        """Per cent of the non-equivalent mutants detected (killed or timed out)."""
        counted = len(self.outcomes) - self.count(EQUIV)
        if counted == 0:
            return None
        return 100.0 * (self.count(KILLED) + self.count(TIMEOUT)) / counted

    def survivors(self) -> list[Mutant]:
        return [m for m in self.mutants if self.outcomes.get(m.id) == SURVIVED]


def score_of(outcomes: dict[str, str], equivalent: dict[str, str]) -> float | None:
    """The score of outcomes {id: killed|survived|timeout} with the ids in `equivalent` left out."""
    result = Result("", {i: (EQUIV if i in equivalent else o) for i, o in outcomes.items()})
    return result.score


_children: set[subprocess.Popen[bytes]] = set()
_children_lock = threading.Lock()
_stop = threading.Event()


def _kill_children() -> None:
    with _children_lock:
        for process in list(_children):
            _kill(process)


def _run_pytest(
    module: ModuleConfig, config: Config, slot: int, mutant_file: Path | None, timeout: float | None
) -> tuple[str, float]:
    """(killed | survived | timeout | error:<text>, seconds) of one pytest run in a child process."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_ADDOPTS")}
    work = Path(os.environ.get("KYODO_MUTATION_DIR", ROOT / "var" / "mutation"))  # two runs at once: two dirs
    work.mkdir(parents=True, exist_ok=True)
    env["KYODO_TEST_SQLITE"] = str(work / f"worker{slot}.sqlite3")  # one test database per worker
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if mutant_file is not None:
        env["KYODO_MUTANT_MODULE"] = module.dotted
        env["KYODO_MUTANT_FILE"] = str(mutant_file)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tools.mutation_plugin",
        *config.pytest_args,
        *module.args,
        *module.tests,
    ]
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603  our own interpreter and pytest, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    with _children_lock:
        _children.add(process)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return TIMEOUT, time.monotonic() - started
    finally:
        with _children_lock:
            _children.discard(process)
    seconds = time.monotonic() - started
    text = output.decode(errors="replace")
    if "KYODO_MUTANT_NOT_LOADED" in text:
        return "error:the mutant was not the module imported (imported before the plugin?)", seconds
    if process.returncode == 0:
        return SURVIVED, seconds
    if process.returncode in (1, 2):  # tests failed, or the mutant broke the import/collection
        return KILLED, seconds
    if process.returncode == 5:
        return "error:no tests collected", seconds
    return f"error:pytest exit {process.returncode}\n{text[-3000:]}", seconds


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_module(
    module: ModuleConfig, config: Config, log: Callable[[str], None] = print, only: Sequence[str] = ()
) -> Result:
    started = time.monotonic()
    source = (ROOT / module.path).read_text()
    mutants = mutants_of(source, module.functions)
    if only:
        mutants = [m for m in mutants if m.id in only]
    equivalent = config.equivalent.get(module.path, {})
    result = Result(module.path, mutants=mutants)
    outcome, baseline = _run_pytest(module, config, 0, None, None)
    result.baseline_seconds = baseline
    if outcome != SURVIVED:
        result.error = f"the unmutated tests do not pass ({outcome})"
        log(f"{module.path}: {result.error}")
        return result
    timeout = max(config.timeout_min, config.timeout_factor * baseline)
    todo = []
    for mutant in mutants:
        if mutant.id in equivalent:
            result.outcomes[mutant.id] = EQUIV
        else:
            todo.append(mutant)
    log(
        f"{module.path}: {len(mutants)} mutants ({len(mutants) - len(todo)} equivalent), "
        f"baseline {baseline:.1f}s, timeout {timeout:.0f}s"
    )
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(config.jobs):
        slots.put(slot)
    with tempfile.TemporaryDirectory(prefix="kyodo-mutant-") as tmp:

        def one(mutant: Mutant) -> tuple[Mutant, str]:
            if _stop.is_set():
                return mutant, SURVIVED
            slot = slots.get()
            try:
                path = Path(tmp) / f"slot{slot}" / f"m{mutant.index}_{Path(module.path).name}"
                path.parent.mkdir(exist_ok=True)
                path.write_text(mutated_source(source, mutant, module.functions))
                outcome, _seconds = _run_pytest(module, config, slot, path, timeout)
                path.unlink()
                return mutant, outcome
            finally:
                slots.put(slot)

        pool = ThreadPoolExecutor(config.jobs)
        try:
            for done, (mutant, outcome) in enumerate(pool.map(one, todo), start=1):
                if outcome.startswith("error:"):
                    result.error = f"{mutant.id}: {outcome[6:]}"
                    log(f"  {module.path}:{mutant.line} {mutant.change}: {outcome}")
                    outcome = SURVIVED  # counted against the score: an unexplained run proves nothing
                result.outcomes[mutant.id] = outcome
                if outcome == SURVIVED:
                    log(f"  survived: {module.path}:{mutant.line} [{mutant.id}] {mutant.change}")
                if done % 25 == 0:
                    log(f"  … {done}/{len(todo)}")
        except KeyboardInterrupt:
            _stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            _kill_children()
            raise
        pool.shutdown()
    result.seconds = time.monotonic() - started
    return result


# --- Reporting --------------------------------------------------------------------------------------


def format_table(results: Sequence[Result]) -> str:
    head = "| module | mutants | killed | timeout | survived | equivalent | score | seconds |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        score = "—" if r.score is None else f"{r.score:.1f} %"
        if r.error and not r.outcomes:
            score = "error"
        lines.append(
            f"| `{r.module}` | {len(r.outcomes)} | {r.count(KILLED)} | {r.count(TIMEOUT)} | "
            f"{r.count(SURVIVED)} | {r.count(EQUIV)} | {score} | {r.seconds:.0f} |"
        )
    return "\n".join(lines)


def format_survivors(results: Sequence[Result]) -> str:
    lines = []
    for r in results:
        for m in r.survivors():
            lines.append(f"{r.module}:{m.line} [{m.id}] {m.kind}: {m.change}")
    return "\n".join(lines)


MARK_START, MARK_END = "<!-- mutation-results:start -->", "<!-- mutation-results:end -->"


def write_report(path: Path, results: Sequence[Result], wall: float, jobs: int) -> None:
    """Replace the results block of docs/MUTATION.md (between the markers) with this run's."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    survivors = format_survivors(results) or "(none)"
    block = (
        f"{MARK_START}\nLast run: {when}, `make mutation`, {jobs} jobs, wall time {wall / 60:.1f} min.\n\n"
        f"{format_table(results)}\n\nSurviving mutants:\n\n```\n{survivors}\n```\n{MARK_END}"
    )
    text = path.read_text() if path.exists() else f"# Mutation testing\n\n{MARK_START}\n{MARK_END}\n"
    pattern = re.compile(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), re.S)
    path.write_text(
        pattern.sub(lambda _m: block, text) if pattern.search(text) else text + "\n" + block + "\n"
    )


def changed_modules(config: Config) -> list[ModuleConfig]:
    """The modules whose source or tests differ from the merge base with origin/main (or HEAD~1)."""

    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603  git with fixed arguments
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        base = git("merge-base", "origin/main", "HEAD")
    except subprocess.CalledProcessError:
        try:
            base = git("rev-parse", "HEAD~1")
        except subprocess.CalledProcessError:
            return list(config.modules)
    changed = set(git("diff", "--name-only", base).splitlines())

    def touched(m: ModuleConfig) -> bool:
        return m.path in changed or any(t.split("::")[0] in changed for t in m.tests)

    # (The tool itself has its own tests, tools/tests/test_mutation.py, in `make test`.)
    return [m for m in config.modules if touched(m)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", help="module paths (default: every configured module)")
    parser.add_argument("--changed", action="store_true", help="only modules changed since the merge base")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--jobs", type=int, help="parallel pytest processes (default: mutation.toml)")
    parser.add_argument("--only", nargs="*", default=(), help="run only these mutant ids")
    parser.add_argument("--report", type=Path, help="write the results into this Markdown file")
    args = parser.parse_args(argv)
    config = load_config()
    if args.jobs:
        config.jobs = args.jobs
    modules = config.modules
    if args.modules:
        wanted = {m.removeprefix("./") for m in args.modules}
        unknown = wanted - {m.path for m in modules}
        if unknown:
            parser.error(f"not in tools/mutation.toml: {', '.join(sorted(unknown))}")
        modules = [m for m in modules if m.path in wanted]
    if args.changed:
        modules = [m for m in changed_modules(config) if m in modules]
        if not modules:
            print("No rule module (or its tests) changed: nothing to mutate.")
            return 0
    if args.list:
        for module in modules:
            equivalent = config.equivalent.get(module.path, {})
            for m in mutants_of((ROOT / module.path).read_text(), module.functions):
                mark = "  (equivalent)" if m.id in equivalent else ""
                print(f"{module.path}:{m.line} [{m.id}] {m.kind}: {m.change}{mark}")
        return 0
    started = time.monotonic()
    results: list[Result] = []
    try:
        for module in modules:
            results.append(run_module(module, config, only=args.only))
            print(format_table(results[-1:]).splitlines()[-1], flush=True)
    except KeyboardInterrupt:
        _kill_children()
        print("\nInterrupted; the source files were never modified.", file=sys.stderr)
        return 130
    wall = time.monotonic() - started
    print()
    print(format_table(results))
    survivors = format_survivors(results)
    print("\nSurviving mutants:\n" + (survivors or "(none)"))
    print(f"\nWall time {wall / 60:.1f} min on {config.jobs} jobs.")
    stale = [
        f"{module}: {mutant_id}"
        for module, entries in config.equivalent.items()
        for mutant_id in entries
        if any(r.module == module for r in results)
        and not any(mutant_id in r.outcomes for r in results if r.module == module)
    ]
    if stale and not args.only:
        print("\nEquivalent mutants listed but no longer produced (remove them):\n" + "\n".join(stale))
    if args.report:
        write_report(args.report, results, wall, config.jobs)
    failed = [r for r in results if r.error or (r.score is not None and r.score < config.floor)]
    for r in failed:
        print(f"BELOW THE FLOOR OR FAILED: {r.module} {r.error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
