import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError

import kyodo.settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_503_when_the_database_does_not_answer(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_production_refuses_a_missing_or_default_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    result = _manage("check", DEBUG="0", SECRET_KEY="django-insecure-kyodo-development-only")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_unset_debug_is_production_and_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr and "DEBUG=1" in result.stderr


PRODUCTION = {
    "SECRET_KEY": "y" * 20 + "-production-secret-key-for-the-test-only-0123456789",
    "ALLOWED_HOSTS": "kyodo.example.jp",
    "SITE_URL": "https://kyodo.example.jp",
}


def _collected(tmp_path):
    """A STATIC_ROOT as collectstatic leaves it, as far as the start-up check looks: with its manifest."""
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    return str(tmp_path)


def test_unset_debug_with_a_secret_key_passes_the_deploy_check(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", STATIC_ROOT=_collected(tmp_path), **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_refuses_a_missing_static_manifest_naming_collectstatic(tmp_path):
    result = _manage("check", "--deploy", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode != 0
    assert "kyodo.E001" in result.stderr and "collectstatic" in result.stderr


def test_the_app_server_refuses_to_start_without_the_static_manifest(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(STATIC_ROOT=str(tmp_path), **PRODUCTION)
    load = [sys.executable, "-c", "import kyodo.wsgi"]
    result = subprocess.run(load, cwd=ROOT, env=env, capture_output=True, text=True)
    assert (
        result.returncode != 0
        and "Kyodo will not start" in result.stderr
        and "collectstatic" in result.stderr
    )
    env["STATIC_ROOT"] = _collected(tmp_path)
    result = subprocess.run(load, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_migrate_and_the_worker_are_not_stopped_by_a_missing_static_manifest(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    env = {"STATIC_ROOT": str(tmp_path / "static"), "DATABASE_URL": db, **PRODUCTION}
    assert _manage("migrate", "--noinput", **env).returncode == 0
    assert _manage("deliver_mail", **env).returncode == 0


@pytest.mark.django_db
def test_healthz_reports_a_missing_static_manifest(client, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and "collectstatic" in response.json()["reason"]
    _collected(tmp_path)
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_test_run_loads_the_settings_with_debug_on_through_its_own_settings_module():
    # pytest-django then turns settings.DEBUG off for the run itself, as Django's runner does.
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "kyodo.settings_test" and kyodo.settings.DEBUG


def test_deploy_check_passes_with_debug_off(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 20 + "-production-secret-key-for-the-test-only-0123456789",
        ALLOWED_HOSTS="kyodo.example.jp", SITE_URL="https://kyodo.example.jp", STATIC_ROOT=_collected(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_email_url_parsing():
    from kyodo.core.email_url import parse_email_url

    smtp = parse_email_url("smtp://user:p%40ss@mail.example.jp:587?tls=1")
    assert smtp["EMAIL_HOST"] == "mail.example.jp" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss" and smtp["EMAIL_USE_TLS"] and not smtp["EMAIL_USE_SSL"]
    assert parse_email_url("smtps://h")["EMAIL_PORT"] == 465
    with pytest.raises(ValueError):
        parse_email_url("carrier-pigeon://x")


def test_time_zone_and_language_defaults(settings):
    assert settings.TIME_ZONE == "Asia/Tokyo" and settings.LANGUAGE_CODE == "ja"
