"""KYODO_S3_BUCKET without the s3 extra stops start-up with what to install, instead of a missing module at
the first upload. (The storage itself is tested in test_s3_storage.py.)"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_bucket_without_the_s3_extra_stops_start_up_saying_what_to_install():
    code = "import sys; sys.modules['storages'] = None; import django; django.setup()"  # as if not installed
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "kyodo.settings", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "KYODO_S3_BUCKET": "b"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "pip install -e '.[s3]'" in result.stderr
    assert (
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True).returncode == 0
    )
