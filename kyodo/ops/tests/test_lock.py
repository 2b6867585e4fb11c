"""The lock files (`make lock`) agree with pyproject.toml, and tools/check_lock.py notices when they don't."""

import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SPEC = importlib.util.spec_from_file_location("check_lock", ROOT / "tools" / "check_lock.py")
check_lock = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_lock)


def _copy(tmp_path, monkeypatch):
    for name in ["pyproject.toml", *check_lock.LOCKS]:
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.setattr(check_lock, "ROOT", tmp_path)
    return tmp_path


def test_the_committed_locks_agree_with_pyproject():
    assert check_lock.problems() == []


def test_a_bumped_pin_is_a_disagreement(tmp_path, monkeypatch):
    root = _copy(tmp_path, monkeypatch)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"Django==5.2.19"', '"Django==5.2.18"'))
    assert (
        "requirements.lock: django is 5.2.18 in pyproject.toml but 5.2.19 in the lock"
        in check_lock.problems()
    )


def test_a_new_or_removed_dependency_is_a_disagreement(tmp_path, monkeypatch):
    root = _copy(tmp_path, monkeypatch)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text().replace('"segno==1.6.6",', '"django-example-addon==1.0",')
    pyproject.write_text(text)
    found = check_lock.problems()
    assert "requirements.lock: django-example-addon is in pyproject.toml but not in the lock" in found
    assert "requirements.lock: segno came from pyproject.toml, which no longer asks for it" in found


def test_a_package_without_a_hash_is_refused(tmp_path, monkeypatch):
    root = _copy(tmp_path, monkeypatch)
    lock = root / "requirements.lock"
    lines = [line for line in lock.read_text().splitlines() if "--hash" not in line or "segno" in line]
    lock.write_text("\n".join(line.rstrip(" \\") for line in lines) + "\n")
    assert any(p.endswith("has no hash") for p in check_lock.problems())
