"""Demo content: the newsletter (金沢市協働通信 vol.9) plus sample data clearly marked as such.

`manage.py load_demo` calls `load()` of this module and then of each app's `demo.py`, in INSTALLED_APPS
order. Every loader is idempotent (get_or_create on natural keys)."""

import datetime as dt
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from kyodo.core.models import Location, OpeningHours, User

DEMO_PASSWORD = "kyodo-demo-2026"  # demo only; printed by `make run` and written in the README  # noqa: S105  the demo accounts' published password, loaded only by `make run`
DEMO_ACCOUNTS = [
    # email, name, role description
    ("admin@example.jp", "管理者（サンプル）", "admin"),
    ("staff@example.jp", "サポセン 職員（サンプル）", "staff / coordinator"),
    ("member@example.jp", "町会 太郎（サンプル）", "member of サンプル町会（デモ）"),
]

CENTER = {
    "name": "金沢市市民活動サポートセンター",
    "name_en": "Kanazawa Citizen Activity Support Center",
    "short_name": "サポセン",
    "address": "金沢学生のまち市民交流館1F（石川県金沢市）",
    "address_en": "1F, Kanazawa Student Town Civic Exchange Hall, Kanazawa, Ishikawa",
    "phone": "076-225-7763",
    "email": "support_center@city.kanazawa.lg.jp",
    # Sample values (the newsletter prints neither); staff edit them in the admin.
    "access": "（サンプル）バス停「片町」から徒歩約5分",
    "access_en": "(Sample) About 5 minutes on foot from the Katamachi bus stop",
    "parking": "（サンプル）専用駐車場はありません。近くの有料駐車場をご利用ください。",
    "parking_en": "(Sample) No parking of our own; please use a paid car park nearby.",
}
# Opening hours are sample values (the newsletter does not print them); staff edit them in the admin.
SAMPLE_HOURS = {wd: (dt.time(9, 0), dt.time(21, 0)) for wd in (1, 2, 3, 4, 5, 6)}  # closed on Mondays


def demo_user(email: str, name: str, password: str = DEMO_PASSWORD, **flags: Any) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **flags})
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(today: dt.date | None = None) -> dict[str, Any]:
    location, _ = Location.objects.get_or_create(name=CENTER["name"], defaults=CENTER)
    if not location.opening_hours.exists():
        for weekday, (opens, closes) in SAMPLE_HOURS.items():
            OpeningHours.objects.create(location=location, weekday=weekday, opens=opens, closes=closes)
    demo_user("admin@example.jp", "管理者（サンプル）", is_staff=True, is_superuser=True)
    demo_user("staff@example.jp", "サポセン 職員（サンプル）", is_staff=True, is_coordinator=True)
    demo_user("member@example.jp", "町会 太郎（サンプル）")
    return {"location": location, "today": today or timezone.localdate()}
