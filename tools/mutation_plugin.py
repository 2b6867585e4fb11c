"""pytest plugin of tools/mutation.py: load a mutant instead of a module, and run hypothesis repeatably.

With KYODO_MUTANT_MODULE=kyodo.core.dates and KYODO_MUTANT_FILE=/tmp/…/dates.py, `import kyodo.core.dates`
(anywhere, tests or app code) loads the file: a finder placed first on sys.meta_path answers for that one
name. The source tree is never written to. Loaded with `-p tools.mutation_plugin`, before Django and the
conftest files import anything of Kyodo.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

from hypothesis import settings

# Same examples on every run (a mutant killed once is killed again), and no example database: a failure
# found on one mutant must not be replayed against the next.
settings.register_profile("mutation", database=None, derandomize=True)
settings.load_profile("mutation")

MODULE = os.environ.get("KYODO_MUTANT_MODULE")
FILE = os.environ.get("KYODO_MUTANT_FILE")


class MutantFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != MODULE:
            return None
        return importlib.util.spec_from_file_location(
            fullname, FILE, loader=importlib.machinery.SourceFileLoader(fullname, FILE)
        )


if MODULE and FILE:
    if MODULE in sys.modules:  # imported before this plugin: the run would test the original
        print("KYODO_MUTANT_NOT_LOADED")  # noqa: T201
        raise SystemExit(3)
    sys.meta_path.insert(0, MutantFinder())


def pytest_sessionfinish(session):
    module = sys.modules.get(MODULE) if MODULE else None
    if module is not None and getattr(module, "__file__", None) != FILE:
        print("KYODO_MUTANT_NOT_LOADED")  # noqa: T201
        session.exitstatus = 3
