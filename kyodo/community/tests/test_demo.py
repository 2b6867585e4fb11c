"""The demo: the newsletter's content, verbatim, loaded twice without duplicates."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from kyodo.community.models import Event, NewsPost, SiteNotice
from kyodo.groups.models import Feature, FeatureQA

# The newsletter lies in ../shared/seed/ beside the repository (as on developers' machines and in CI).
SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_7f75c190c1ca0209.txt"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # idempotent


def test_newsletter_events_news_and_notice(demo, client):
    festival = Event.objects.get(title="まちなか学生まつり")
    assert festival.start_date == dt.date(2021, 10, 23) and festival.venue_name == "木倉町広場"
    assert festival.organizer == "金沢まちづくり学生会議" and festival.is_published
    summit = Event.objects.get(title="Civic Tech Summit KANAZAWA 2021")
    assert summit.start_date == dt.date(2021, 11, 13) and summit.venue_name == "金沢未来のまち創造館"
    assert summit.url_city.startswith("https://www4.city.kanazawa.lg.jp")
    samples = Event.objects.filter(title__startswith="【サンプル】")
    assert samples.count() == 3 and {e.status for e in samples} == {"scheduled", "postponed", "cancelled"}
    assert Event.objects.count() == 5
    assert NewsPost.objects.count() == 3
    lending = NewsPost.objects.get(title="機材貸出サービスを開始しました！")
    assert "WEBカメラやマイクスピーカー等の機材の貸出を開始しました。" in lending.body and lending.pinned
    assert NewsPost.objects.filter(title="第12期 金沢まちづくり学生会議 出発式を行いました！").exists()
    assert NewsPost.objects.filter(
        title="令和3年度 協働のまちづくりチャレンジ事業 2次審査 オンラインにて実施しました！"
    ).exists()
    assert SiteNotice.objects.get(key="events").text.startswith("※新型コロナウイルス感染拡大状況により")
    assert "2021年11月13日(土)" in client.get(f"/events/{summit.pk}/").content.decode()
    assert "まちなか学生まつり" in client.get("/events/archive/").content.decode()


def test_four_interviews_verbatim(demo):
    assert Feature.objects.published().count() == 4
    answers = {
        (qa.feature.group.name, qa.order): qa.answer
        for qa in FeatureQA.objects.select_related("feature__group")
    }
    assert len(answers) == 11
    if SEED.exists() or os.environ.get("CI"):  # every answer is printed in the newsletter exactly so
        text = SEED.read_text(encoding="utf-8")
        for answer in answers.values():
            for paragraph in answer.split("\n\n"):
                assert paragraph in text
    assert answers[("Finding ゴミ", 1)].startswith("感染症対策を行なながら")
    assert answers[("シングルマザーの会", 2)].startswith("ひとり親家庭への食糧支援")
    yokoso = "ようこそ産前産後ケア～パパママ学級～"
    assert "ひとり親家庭" not in answers[(yokoso, 2)] + answers[(yokoso, 3)]  # the misplaced repeat
    assert answers[(yokoso, 2)].endswith("コロナ禍でも続けられる強みは、その想いです。")
    assert answers[(yokoso, 3)].startswith("昨年度から満席状態が続いている")


def test_directory_search_works_on_demo_groups(demo, client):
    html = client.get("/groups/", {"q": "ﾌｨｰｶ"}).content.decode()
    assert "FIKA 金沢" in html and "Finding ゴミ" not in html
    html = client.get("/groups/", {"seeking": "on"}).content.decode()
    assert "シングルマザーの会" in html and "FIKA 金沢" not in html
