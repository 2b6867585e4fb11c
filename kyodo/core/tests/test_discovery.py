"""One discovery helper: every Kyodo app's module of a name, skipping apps without it, never hiding an
import error inside a module that exists."""

import sys
from importlib import import_module
from types import SimpleNamespace

import pytest

import kyodo
from kyodo.core import discovery
from kyodo.core.discovery import app_modules


def test_only_kyodo_apps_that_have_the_module_in_app_order():
    names = [module.__name__ for module in app_modules("sections")]
    order = [config.name for config in discovery.apps.get_app_configs()]
    assert names == sorted(names, key=lambda name: order.index(name.removesuffix(".sections")))
    assert "kyodo.community.sections" in names
    assert "kyodo.reports.sections" not in names  # reports has no sections.py: skipped, no error
    assert all(name.startswith("kyodo.") for name in names)


@pytest.fixture
def fake_app(tmp_path, monkeypatch):
    """An app `kyodo.fakeapp` with `present.py` and `broken.py` (which imports a module that does not exist)."""
    package = tmp_path / "fakeapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "present.py").write_text("VALUE = 1\n")
    (package / "broken.py").write_text("import kyodo_no_such_module  # noqa\n")
    monkeypatch.setattr(kyodo, "__path__", [*kyodo.__path__, str(tmp_path)])
    config = SimpleNamespace(name="kyodo.fakeapp", module=import_module("kyodo.fakeapp"))
    monkeypatch.setattr(discovery.apps, "get_app_configs", lambda: [config])
    yield config
    for name in [n for n in sys.modules if n.startswith("kyodo.fakeapp")]:
        del sys.modules[name]


def test_an_app_without_the_module_is_skipped(fake_app):
    assert app_modules("missing") == []


def test_a_present_module_is_returned(fake_app):
    assert [m.VALUE for m in app_modules("present")] == [1]


def test_an_import_error_inside_a_present_module_propagates(fake_app):
    with pytest.raises(ModuleNotFoundError, match="kyodo_no_such_module"):
        app_modules("broken")
