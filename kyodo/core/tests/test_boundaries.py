"""The core knows no app: the apps plug into it (sections, daily jobs, demo content, API routers)."""

import ast
from pathlib import Path

import kyodo.core

APPS = ("groups", "lending", "consultations", "community", "reports", "ops", "api")


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_core_code_imports_no_app():
    root = Path(kyodo.core.__file__).parent
    offenders = [
        f"{path.relative_to(root)}: {module}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for module in _imported_modules(path)
        if module.startswith(tuple(f"kyodo.{app}" for app in APPS))
    ]
    assert offenders == []
