"""Settings read from the environment: yes/no words, and nothing written to disk at import."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kyodo.settings import env_bool

ROOT = Path(__file__).resolve().parents[3]


def _python(code, **env):
    """Run `code` in a fresh interpreter with the settings loaded, the test run's own variables removed."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "KYODO_BENCH", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(DJANGO_SETTINGS_MODULE="kyodo.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("word", ["1", "true", "True", "YES", "on", " On "])
def test_env_bool_reads_a_true_word_as_true(monkeypatch, word):
    monkeypatch.setenv("KYODO_SOME_SWITCH", word)
    assert env_bool("KYODO_SOME_SWITCH", False) is True


@pytest.mark.parametrize("word", ["0", "false", "FALSE", "no", "off", "Off "])
def test_env_bool_reads_a_false_word_as_false(monkeypatch, word):
    monkeypatch.setenv("KYODO_SOME_SWITCH", word)
    assert env_bool("KYODO_SOME_SWITCH", True) is False


def test_env_bool_takes_the_default_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("KYODO_SOME_SWITCH", raising=False)
    assert env_bool("KYODO_SOME_SWITCH", True) is True
    assert env_bool("KYODO_SOME_SWITCH", False) is False


@pytest.mark.parametrize("word", ["flase", "", "2", "enabled"])
def test_env_bool_refuses_an_unknown_word_and_names_the_variable(monkeypatch, word):
    monkeypatch.setenv("KYODO_SOME_SWITCH", word)
    with pytest.raises(ImproperlyConfigured, match="KYODO_SOME_SWITCH"):
        env_bool("KYODO_SOME_SWITCH", False)


def test_start_up_stops_on_a_misspelt_boolean_naming_it():
    result = _python("", DEBUG="0", SECRET_KEY="x" * 60, KYODO_DELIVER_ON_COMMIT="ture")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "KYODO_DELIVER_ON_COMMIT='ture'" in result.stderr


def test_loading_the_settings_and_urls_creates_nothing_on_disk(tmp_path):
    var = tmp_path / "var"
    result = _python("import kyodo.urls", KYODO_VAR_DIR=str(var), DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert not var.exists()


@pytest.mark.parametrize("value", ["10", "x/y", "10/0", "ten per hour"])
def test_a_mistyped_rate_limit_stops_start_up_naming_it(value):
    result = _python("pass", DEBUG="1", KYODO_RATE_LIMIT_CONSULTATION_IP=value)
    assert result.returncode != 0
    assert "KYODO_RATE_LIMIT_CONSULTATION_IP" in result.stderr and "count/seconds" in result.stderr


def test_a_well_formed_rate_limit_starts():
    result = _python("print('ok')", DEBUG="1", KYODO_RATE_LIMIT_CONSULTATION_IP=" 5 / 600 ")
    assert result.returncode == 0 and "ok" in result.stdout
