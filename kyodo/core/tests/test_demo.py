import pytest
from django.core.management import call_command

from kyodo.core.models import Location, User
from kyodo.groups.models import Group

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_has_the_newsletter_center():
    call_command("load_demo")
    counts = (Location.objects.count(), User.objects.count(), Group.objects.count())
    call_command("load_demo")
    assert (Location.objects.count(), User.objects.count(), Group.objects.count()) == counts
    center = Location.objects.get()
    assert center.phone == "076-225-7763" and center.email == "support_center@city.kanazawa.lg.jp"
    assert "金沢学生のまち市民交流館1F" in center.address
    for name in ["Finding ゴミ", "シングルマザーの会", "FIKA 金沢", "ようこそ産前産後ケア～パパママ学級～"]:
        assert Group.objects.listed().filter(name=name).exists()
    member = User.objects.get(email="member@example.jp")
    assert member.check_password("kyodo-demo-2026")
    assert Group.objects.of_member(member).approved().exists()
    assert User.objects.get(email="staff@example.jp").is_coordinator
    assert User.objects.get(email="admin@example.jp").is_superuser


def test_if_empty_loads_nothing_the_second_time(capsys):
    call_command("load_demo", "--if-empty")
    call_command("load_demo", "--if-empty")
    assert "already there" in capsys.readouterr().out


def test_demo_sign_ins_are_printed(capsys):
    call_command("print_demo_signins")
    out = capsys.readouterr().out
    assert "member@example.jp" in out and "kyodo-demo-2026" in out


def test_make_run_serves_with_site_url_on_its_port_and_says_so(capsys, settings):
    """`make run PORT=8123` hands SITE_URL=http://127.0.0.1:8123 to every command (unless SITE_URL is
    given), and the sign-in notice names the address that mail links and QR codes will use."""
    import shutil
    import subprocess
    from pathlib import Path

    root, make = Path(__file__).resolve().parents[3], shutil.which("make")
    assert make, "make runs the project (make run, make test)"
    plan = subprocess.run(
        [make, "-n", "run", "PORT=8123"], cwd=root, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout  # fmt: skip
    assert "SITE_URL=http://127.0.0.1:8123" in plan and "runserver 127.0.0.1:8123" in plan
    given = subprocess.run(
        [make, "-n", "run", "PORT=8123"], cwd=root, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "SITE_URL": "https://kyodo.example.jp"},
    ).stdout  # fmt: skip
    assert "SITE_URL=https://kyodo.example.jp" in given and "127.0.0.1:8123 " not in given.replace(
        "runserver 127.0.0.1:8123", ""
    )
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("print_demo_signins")
    out = capsys.readouterr().out
    assert "Open http://127.0.0.1:8123/" in out and "SITE_URL=http://127.0.0.1:8123" in out
