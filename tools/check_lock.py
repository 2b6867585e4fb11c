"""CI: the lock files agree with pyproject.toml (`make lock` writes them; this only reads).

For each lock and the extras it was compiled with: every requirement in pyproject.toml is in the lock
at the pinned version; every package the lock says came from pyproject.toml ("via kyodo") is still
asked for there; every package carries at least one hash; and the packages of the production lock
are at the same versions in the others (the tests run what production runs). Offline and quick.

    python tools/check_lock.py        # exit 1 and the differences when they disagree
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The lock files and the extras each is compiled with (the Makefile's `lock` target uses the same).
LOCKS = {
    "requirements.lock": [],
    "requirements-test.lock": ["test"],
    "requirements-bench.lock": ["test", "bench"],
}
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:==\s*([^\s;,]+))?")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(project: dict, extras: list[str]) -> dict[str, str | None]:
    """{name: pinned version or None} that pyproject asks for with these extras."""
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    found = {}
    for line in wanted:
        match = REQUIREMENT.match(line)
        if match is None:
            raise SystemExit(f"pyproject.toml: cannot read the requirement {line!r}")
        found[normalise(match[1])] = match[2]
    return found


def read_lock(path: Path) -> tuple[dict[str, str], set[str], set[str]]:
    """({name: version}, names without a hash, names the lock says come from pyproject.toml)."""
    versions: dict[str, str] = {}
    hashed: set[str] = set()
    direct: set[str] = set()
    current = None
    for line in path.read_text().splitlines():
        match = ENTRY.match(line)
        if match:
            current = normalise(match[1])
            versions[current] = match[2]
        elif current and "--hash=sha256:" in line:
            hashed.add(current)
        elif current and "kyodo (pyproject.toml)" in line:
            direct.add(current)
    return versions, set(versions) - hashed, direct


def problems() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found: list[str] = []
    production: dict[str, str] = {}
    for name, extras in LOCKS.items():
        path = ROOT / name
        if not path.exists():
            found.append(f"{name} is missing: run `make lock`")
            continue
        versions, unhashed, direct = read_lock(path)
        wanted = requirements(project, extras)
        for package, pin in sorted(wanted.items()):
            if package not in versions:
                found.append(f"{name}: {package} is in pyproject.toml but not in the lock")
            elif pin is not None and versions[package] != pin:
                found.append(
                    f"{name}: {package} is {pin} in pyproject.toml but {versions[package]} in the lock"
                )
        for package in sorted(direct - set(wanted)):
            found.append(f"{name}: {package} came from pyproject.toml, which no longer asks for it")
        for package in sorted(unhashed):
            found.append(f"{name}: {package} has no hash")
        if not extras:
            production = versions
        for package, version in sorted(production.items()):
            if extras and versions.get(package) != version:
                found.append(f"{name}: {package} is {versions.get(package)}, production's lock has {version}")
    return found


if __name__ == "__main__":
    if found := problems():
        print("The lock files disagree with pyproject.toml (run `make lock` and commit the result):")
        print("\n".join(f"  {p}" for p in found))
        sys.exit(1)
    print(f"lock files agree with pyproject.toml: {', '.join(LOCKS)}")
