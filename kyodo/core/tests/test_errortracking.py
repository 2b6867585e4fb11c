"""Errors reach someone (sentry-sdk with SENTRY_DSN), personal data scrubbed; without it nothing changes."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
import sentry_sdk
from django.core.mail import send_mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from kyodo.core.errortracking import FILTERED, scrub
from kyodo.core.mail import deliver_pending
from kyodo.core.management.commands.deliver_mail import Command as DeliverMail
from kyodo.core.models import OutboundEmail

ROOT = Path(__file__).resolve().parents[3]
SHOW_CLIENT = (
    "import django, json, sentry_sdk; django.setup(); client = sentry_sdk.get_client(); "
    "print(json.dumps({'active': sentry_sdk.is_initialized(), 'pii': client.options.get('send_default_pii'), "
    "'env': client.options.get('environment'), 'release': client.options.get('release'), "
    "'before_send': getattr(client.options.get('before_send'), '__qualname__', None)}))"
)


def _client_options(**env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "DJANGO_SETTINGS"))}
    full_env.update(DJANGO_SETTINGS_MODULE="kyodo.settings", DEBUG="1", **env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CLIENT], cwd=ROOT, env=full_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_sentry_dsn_nothing_is_initialised():
    assert not sentry_sdk.is_initialized()  # the test run itself has no DSN
    assert _client_options()["active"] is False


def test_with_sentry_dsn_the_settings_initialise_it_without_personal_data():
    options = _client_options(
        SENTRY_DSN="https://public@127.0.0.1:9/1", SENTRY_ENVIRONMENT="staging", SENTRY_RELEASE="kyodo@0.1.0"
    )
    assert options == {
        "active": True, "pii": False, "env": "staging", "release": "kyodo@0.1.0", "before_send": "scrub",
    }  # fmt: skip


def test_scrub_removes_addresses_phone_numbers_and_names_from_an_event():
    event = {
        "user": {"id": 7, "email": "yamada@example.jp", "username": "山田", "ip_address": "192.0.2.1"},
        "request": {
            "url": "https://kyodo.example.jp/consultations/book/",
            "query_string": "email=yamada%40example.jp&page=2",
            "data": {"name": "山田太郎", "kana": "やまだ", "phone": "076-000-0000", "slot": "12",
                     "comment": "連絡は090-1234-5678か hanako@example.jp へ"},
            "cookies": {"sessionid": "abc"},
            "headers": {"User-Agent": "Firefox", "Referer": "https://x.example/?mail=a@b.example"},
        },
        "exception": {"values": [{
            "type": "ValueError", "value": "no slot for yamada@example.jp",
            "stacktrace": {"frames": [{"filename": "kyodo/consultations/services.py", "function": "book",
                                       "vars": {"contact_name": "'山田'", "slot_id": "12"}}]},
        }]},
        "extra": {"representative": "A代表", "count": 3},
        "contexts": {"runtime": {"name": "CPython"}},
    }  # fmt: skip
    scrubbed = scrub(event, {})
    text = json.dumps(scrubbed, ensure_ascii=False)
    for personal in [
        "yamada",
        "hanako",
        "山田",
        "やまだ",
        "076-000-0000",
        "090-1234-5678",
        "A代表",
        "192.0.2.1",
    ]:
        assert personal not in text, personal
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"]["data"]["slot"] == "12" and scrubbed["request"]["data"]["name"] == FILTERED
    assert scrubbed["request"]["cookies"] == FILTERED and "page=2" in scrubbed["request"]["query_string"]
    frame = scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["filename"] == "kyodo/consultations/services.py" and frame["vars"]["slot_id"] == "12"
    assert scrubbed["extra"]["count"] == 3 and scrubbed["contexts"] == {"runtime": {"name": "CPython"}}


def test_scrub_drops_a_raw_request_body():
    scrubbed = scrub({"request": {"data": '{"name": "山田"}'}}, {})
    assert scrubbed["request"]["data"] == FILTERED


def test_the_mail_worker_loop_reports_an_error_and_goes_on():
    with (
        mock.patch(
            "kyodo.core.management.commands.deliver_mail.deliver_pending", side_effect=RuntimeError("db")
        ),
        mock.patch("kyodo.core.management.commands.deliver_mail.report") as report,
    ):
        DeliverMail(stdout=SimpleNamespace(write=lambda *a: None))._one_round()
    assert isinstance(report.call_args.args[0], RuntimeError)


@pytest.mark.django_db
def test_a_message_given_up_is_reported(settings):
    settings.KYODO_DELIVERY_BACKEND = "kyodo.core.tests.test_mail.BrokenSMTP"
    send_mail("件名", "本文", None, ["a@example.jp"])
    OutboundEmail.objects.update(created_at=timezone.now() - dt.timedelta(hours=80))
    with mock.patch("kyodo.core.mail.report") as report:
        deliver_pending()
    assert report.call_count == 1


@pytest.mark.django_db
def test_the_daily_job_reports_a_failing_app_runs_the_others_and_fails():
    broken = SimpleNamespace(__name__="kyodo.broken.daily", run=mock.Mock(side_effect=RuntimeError("bug")))
    working = SimpleNamespace(__name__="kyodo.fine.daily", run=mock.Mock(return_value="2 reminders"))
    with (
        mock.patch("kyodo.core.management.commands.daily.app_modules", return_value=[broken, working]),
        mock.patch("kyodo.core.management.commands.daily.report") as report,
        pytest.raises(CommandError, match="broken"),
    ):
        call_command("daily", "--date", "2026-12-01")
    assert working.run.called and isinstance(report.call_args.args[0], RuntimeError)
