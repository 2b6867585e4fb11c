"""Deterministic data at scale for benchmarks and drills (`manage.py seed_scale`).

Everything derives from one `random.Random(seed)` and a fixed `today`, so the same seed and the same today
give the same rows (timestamps included). Rows go in with `bulk_create` in batches; each step reports how
many rows it wrote and how fast. Steps for apps whose models are not on this branch yet say so and skip.

Invariants are kept by construction, never by retrying: e.g. reservations are laid per unit as a sequence
of non-overlapping date ranges, so no type is ever held beyond its units in service on any day.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from kyodo.core.models import Location, OpeningHours, User
from kyodo.groups.demo import FIELDS
from kyodo.groups.models import ActivityField, Group, Membership
from kyodo.ops import seed_domain

BATCH = 2000
PASSWORD = "scale-pass-1234"  # noqa: S105  the published password of generated load-test accounts

DEFAULTS = {
    "locations": 2,
    "groups": 5_000,
    "users": 10_000,
    "equipment_types": 500,
    "units": 2_000,
    "reservations": 1_000_000,
    "consultations": 200_000,
    "events": 20_000,
    "news": 2_000,
}

SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 清水 山崎".split()
GIVEN = "太郎 花子 健 美咲 翔 陽菜 大輝 結衣 蓮 葵 悠真 さくら 湊 凛 陸 芽依".split()
PLACES = "本町 片町 香林坊 武蔵 長町 野町 寺町 東山 森山 小立野 鳴和 金石 大野 額 西泉 駅西".split()
KINDS = "町会 子ども食堂 清掃ボランティア 国際交流会 子育てサークル 福祉の会 まちづくり協議会 学生団体 合唱団 防災会".split()
KANA_SYLLABLES = list(
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"
)


def scaled(scale=1.0, **overrides):
    """The default sizes times `scale` (at least 1 of each), with per-table overrides."""
    counts = {name: max(1, round(value * scale)) for name, value in DEFAULTS.items()}
    counts.update({k: v for k, v in overrides.items() if v is not None})
    return counts


@dataclass
class Report:
    rows: dict = field(default_factory=dict)  # table -> (rows, seconds)
    skipped: dict = field(default_factory=dict)  # what -> why

    def add(self, table, rows, seconds):
        old_rows, old_seconds = self.rows.get(table, (0, 0.0))
        self.rows[table] = (old_rows + rows, old_seconds + seconds)

    def lines(self):
        out = []
        for table, (rows, seconds) in self.rows.items():
            rate = rows / seconds if seconds > 0 else float("inf")
            out.append(f"{table:40} {rows:>10,} rows {seconds:8.2f} s {rate:>12,.0f} rows/s")
        for what, why in self.skipped.items():
            out.append(f"{what:40} skipped: {why}")
        return out


class Generator:
    def __init__(self, counts, seed=1, today=None, report=None):
        self.counts = counts
        self.rng = random.Random(seed)  # noqa: S311  seeded, reproducible fake data, not secrets
        self.today = today or timezone.localdate()
        # A fixed instant for every "created" timestamp, so the data does not depend on the clock.
        self.now = timezone.make_aware(dt.datetime.combine(self.today, dt.time(9)))
        self.report = report or Report()
        self.ids = {}
        self.done = set()  # which of DEFAULTS' kinds a domain step generated

    # --- helpers ----------------------------------------------------------------------------------
    def bulk(self, model, objects):
        """Insert objects in batches; record rows/s under the model's table; return their ids in order."""
        started = time.perf_counter()
        with transaction.atomic():
            created = model.objects.bulk_create(objects, batch_size=BATCH)
        self.report.add(model._meta.db_table, len(created), time.perf_counter() - started)
        if created and created[0].pk is None:  # a backend without RETURNING: read them back
            return list(model.objects.order_by("-pk").values_list("pk", flat=True)[: len(created)])[::-1]
        return [obj.pk for obj in created]

    def kana(self, length):
        return "".join(self.rng.choice(KANA_SYLLABLES) for _ in range(length))

    def person(self):
        return self.rng.choice(SURNAMES) + " " + self.rng.choice(GIVEN)

    # --- steps ------------------------------------------------------------------------------------
    def run(self):
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # A bulk load: skip the per-commit fsync on this connection (a crash means re-seeding anyway).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        for step in (self.locations, self.users, self.groups, *self.domain_steps()):
            step()
        for what in DEFAULTS:
            if what not in self.done and what not in ("locations", "users", "groups"):
                self.report.skipped[what] = "its model is not on this branch yet"
        return self.report

    def domain_steps(self):
        """Steps for the lending, consultations and community apps whose models are on this branch."""
        return seed_domain.steps(self)

    def locations(self):
        objects = [
            Location(
                name=f"スケール拠点{i + 1}",
                name_en=f"Scale site {i + 1}",
                address=f"金沢市{PLACES[i % len(PLACES)]}{i + 1}-1",
                phone=f"076-000-{i:04d}",
                email=f"site{i + 1}@scale.example.jp",
                order=i,
            )
            for i in range(self.counts["locations"])
        ]
        self.ids["locations"] = self.bulk(Location, objects)
        hours = [
            OpeningHours(location_id=loc, weekday=wd, opens=dt.time(9), closes=dt.time(21))
            for loc in self.ids["locations"]
            for wd in range(1, 7)  # Tuesday–Sunday, as the center; Monday closed
        ]
        self.bulk(OpeningHours, hours)

    def users(self):
        # One hash for all (with a fixed salt, so it is deterministic): hashing 10,000 passwords one by
        # one would take minutes and measure nothing.
        password = make_password(PASSWORD, salt="kyodoscaleseed")
        n = self.counts["users"]
        staff = max(1, min(10, n // 100))
        objects = []
        for i in range(n):
            objects.append(
                User(
                    email=f"user{i:06d}@scale.example.jp",
                    name=self.person(),
                    password=password,
                    is_staff=i <= staff,
                    is_superuser=i == 0,
                    is_coordinator=1 <= i <= staff,
                    preferred_language="en" if self.rng.random() < 0.1 else "ja",
                    date_joined=self.now - dt.timedelta(days=self.rng.randrange(3650)),
                )
            )
        self.ids["users"] = self.bulk(User, objects)
        self.ids["staff"] = self.ids["users"][1 : staff + 1]
        self.ids["members"] = self.ids["users"][staff + 1 :] or self.ids["users"]
        addresses = [
            EmailAddress(user_id=pk, email=obj.email, verified=True, primary=True)
            for pk, obj in zip(self.ids["users"], objects, strict=True)
        ]
        self.bulk(EmailAddress, addresses)

    def groups(self):
        fields = []
        for order, (name, name_en) in enumerate(FIELDS):
            row, _ = ActivityField.objects.get_or_create(
                name=name, defaults={"name_en": name_en, "order": order}
            )
            fields.append(row.pk)
        n = self.counts["groups"]
        objects = []
        for i in range(n):
            roll = self.rng.random()
            status = "approved" if roll < 0.9 else ("pending" if roll < 0.97 else "declined")
            place, kind = self.rng.choice(PLACES), self.rng.choice(KINDS)
            objects.append(
                Group(
                    name=f"{place}{kind} {i + 1}",
                    kana=self.kana(6),
                    representative=self.person(),
                    contact_email=f"group{i:05d}@scale.example.jp",
                    area=f"金沢市{place}",
                    member_count=self.rng.randrange(3, 200),
                    description=f"{place}を拠点に活動する{kind}です。",
                    status=status,
                    listed=self.rng.random() < 0.8,
                    seeks_collaboration=self.rng.random() < 0.2,
                    created_at=self.now - dt.timedelta(days=self.rng.randrange(3650)),
                    reviewed_at=None if status == "pending" else self.now,
                )
            )
        self.ids["groups"] = self.bulk(Group, objects)
        self.ids["approved_groups"] = [
            pk for pk, obj in zip(self.ids["groups"], objects, strict=True) if obj.status == "approved"
        ] or self.ids["groups"]
        Through = Group.fields.through
        links = []
        for pk in self.ids["groups"]:
            for field_id in self.rng.sample(fields, self.rng.randint(1, 2)):
                links.append(Through(group_id=pk, activityfield_id=field_id))
        self.bulk(Through, links)
        # Every member belongs to one group (round robin), the first of each group manages it.
        memberships, seen = [], set()
        groups = self.ids["groups"]
        for i, user in enumerate(self.ids["members"]):
            group = groups[i % len(groups)]
            role = "member" if group in seen else "manager"
            seen.add(group)
            memberships.append(Membership(group_id=group, user_id=user, role=role, joined_at=self.now))
        self.bulk(Membership, memberships)
        self.ids["group_members"] = {}
        for m in memberships:
            self.ids["group_members"].setdefault(m.group_id, []).append(m.user_id)
