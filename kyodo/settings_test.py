"""Settings of the test run (pytest's DJANGO_SETTINGS_MODULE): the project's settings with DEBUG on.

DEBUG is off unless asked for (kyodo/settings.py), so the tests ask for it here, before the settings read
the environment. A test that needs production settings starts a subprocess with kyodo.settings."""

import os

os.environ.setdefault("DEBUG", "1")

from kyodo.settings import *  # noqa: E402, F403

# A second connection to the test database under the replica's alias, so that the read-replica router is
# tested through a real second connection (kyodo/core/tests/test_scale_out.py turns KYODO_READ_REPLICA on).
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
