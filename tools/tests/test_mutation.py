"""tools/mutation.py: the mutants of a tiny module, the source left as it was, the score without equivalents."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("kyodo_mutation", ROOT / "tools" / "mutation.py")
mutation = importlib.util.module_from_spec(spec)
sys.modules["kyodo_mutation"] = mutation
spec.loader.exec_module(mutation)

TINY = textwrap.dedent(
    '''
    """A tiny rule module."""


    def fits(free: int, wanted: int) -> bool:
        """Docstrings, annotations and decorators are not mutated."""
        return free >= wanted and not closed(free)


    def closed(free):
        if free < 0:
            return True
        return min(free, 3) == 0


    def total(a, b):
        a += 1
        return a - b  # pragma: no mutate
    '''
)


def changes(source=TINY, functions=()):
    return [(m.kind, m.change) for m in mutation.mutants_of(source, functions)]


def test_the_mutants_of_a_tiny_module():
    assert changes() == [
        ("return", "return free >= wanted and (not closed(free)) → return None"),
        ("boolean", "free >= wanted and (not closed(free)) → free >= wanted or not closed(free)"),
        ("compare", "free >= wanted → free > wanted"),
        ("not", "not closed(free) → closed(free)"),
        ("negate", "if free < 0 → if not free < 0"),
        ("compare", "free < 0 → free <= 0"),
        ("constant", "0 → 1"),
        ("constant", "0 → -1"),
        ("return", "return True → return None"),
        ("constant", "True → False"),
        ("return", "return min(free, 3) == 0 → return None"),
        ("compare", "min(free, 3) == 0 → min(free, 3) != 0"),
        ("min/max", "min(free, 3) → max(free, 3)"),
        ("constant", "3 → 4"),
        ("constant", "3 → 2"),
        ("constant", "0 → 1"),
        ("constant", "0 → -1"),
        ("arithmetic", "a += 1 → a -= 1"),
        ("constant", "1 → 2"),
        ("constant", "1 → 0"),
    ]  # `return a - b` carries `pragma: no mutate`; the docstrings and annotations are left alone


def test_only_the_named_functions_are_mutated():
    assert {m.id.split(":")[0] for m in mutation.mutants_of(TINY, ["closed"])} == {"closed"}
    assert mutation.mutants_of(TINY, ["<module>"]) == []


def test_each_mutant_is_one_change_and_compiles():
    mutants = mutation.mutants_of(TINY)
    sources = {mutation.mutated_source(TINY, m) for m in mutants}
    assert len(sources) == len(mutants)  # each differs from the others
    assert TINY not in sources
    for source in sources:
        compile(source, "mutant", "exec")
    namespace: dict = {}
    exec(mutation.mutated_source(TINY, mutants[2]), namespace)  # noqa: S102  free >= wanted → free > wanted
    assert namespace["fits"](2, 2) is False


def test_ids_are_stable_when_lines_move():
    shifted = "\n\n\n# a comment\n" + TINY
    assert [m.id for m in mutation.mutants_of(shifted)] == [m.id for m in mutation.mutants_of(TINY)]
    assert len({m.id for m in mutation.mutants_of(TINY)}) == len(mutation.mutants_of(TINY))


def test_the_score_leaves_equivalent_mutants_out():
    outcomes = {"a": "killed", "b": "killed", "c": "survived", "d": "timeout", "e": "survived"}
    assert mutation.score_of(outcomes, {}) == 60.0
    assert mutation.score_of(outcomes, {"e": "min(x, 0) for x ≥ 0 is 0 either way"}) == 75.0
    assert mutation.score_of(outcomes, {"c": "…", "e": "…"}) == 100.0
    assert mutation.score_of({"c": "survived"}, {"c": "…"}) is None


@pytest.fixture
def tiny_project(tmp_path, monkeypatch):
    """A copy of the tool with a tiny module, its tests and a configuration, in a tmp directory."""
    (tmp_path / "tools").mkdir()
    for name in ("mutation.py", "mutation_plugin.py"):
        (tmp_path / "tools" / name).write_text((ROOT / "tools" / name).read_text())
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "rule.py").write_text(TINY)
    (tmp_path / "test_rule.py").write_text(
        textwrap.dedent(
            """
            from pkg.rule import closed, fits, total

            def test_fits():
                assert fits(2, 2) and not fits(1, 2) and not fits(0, 0)

            def test_closed():
                assert closed(-1) is True and closed(0) and not closed(1)
            """
        )
    )
    (tmp_path / "tools" / "mutation.toml").write_text(
        textwrap.dedent(
            """
            [settings]
            jobs = 2
            floor = 90
            timeout_min = 60
            pytest_args = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:django"]

            [[module]]
            path = "pkg/rule.py"
            tests = ["test_rule.py"]
            """
        )
    )
    equivalent = next(m.id for m in mutation.mutants_of(TINY) if m.change == "3 → 4")
    (tmp_path / "tools" / "mutation_equivalent.toml").write_text(
        f'["pkg/rule.py"]\n"{equivalent}" = "min(free, 4) == 0 exactly when min(free, 3) == 0"\n'
    )
    return tmp_path


def test_a_run_over_a_tiny_module_scores_it_and_leaves_its_source_alone(tiny_project):
    before = (tiny_project / "pkg" / "rule.py").read_bytes()
    run = subprocess.run(
        [sys.executable, "tools/mutation.py", "--report", "MUTATION.md"],
        cwd=tiny_project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (tiny_project / "pkg" / "rule.py").read_bytes() == before
    assert "| `pkg/rule.py` | 20 |" in run.stdout, run.stdout + run.stderr
    # total() is not tested: its += and its constants survive; 3 → 4 is listed as equivalent.
    row = next(line for line in run.stdout.splitlines() if line.startswith("| `pkg/rule.py`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    mutants, killed, timeout, survived, equivalent = (int(c) for c in cells[1:6])
    assert (mutants, equivalent, timeout) == (20, 1, 0)
    assert killed + survived == 19 and survived >= 3
    assert cells[6] == f"{100 * killed / 19:.1f} %"
    assert "pkg/rule.py:17 [total:" in run.stdout and "arithmetic: a += 1 → a -= 1" in run.stdout
    assert run.returncode == 1  # below the floor
    report = (tiny_project / "MUTATION.md").read_text()
    assert "Last run:" in report and "| `pkg/rule.py` | 20 |" in report
    assert not list((tiny_project / "pkg").glob("*.orig")) and sorted(
        p.name for p in (tiny_project / "pkg").glob("*.py")
    ) == ["__init__.py", "rule.py"]


def test_list_shows_the_mutants_without_running_them(tiny_project):
    run = subprocess.run(
        [sys.executable, "tools/mutation.py", "--list"],
        cwd=tiny_project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = run.stdout.splitlines()
    assert run.returncode == 0 and len(lines) == 20
    assert sum(line.endswith("(equivalent)") for line in lines) == 1
    assert lines[0].startswith("pkg/rule.py:7 [fits:")
