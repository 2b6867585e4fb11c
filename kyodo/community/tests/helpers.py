"""Small builders shared by the community tests."""

import datetime as dt

from django.utils import timezone

from kyodo.community.models import Event, NewsPost
from kyodo.groups.models import Feature, FeatureQA


def make_event(**fields):
    start = fields.pop("start_date", timezone.localdate() + dt.timedelta(days=10))
    data = {
        "title": "テストイベント",
        "venue_name": "テスト会場",
        "start_date": start,
        "end_date": fields.pop("end_date", start),
        "state": Event.State.PUBLISHED,
    }
    data.update(fields)
    return Event.objects.create(**data)


def make_news(**fields):
    data = {"title": "お知らせ", "body": "本文です。", "publish_at": timezone.now() - dt.timedelta(hours=1)}
    data.update(fields)
    return NewsPost.objects.create(**data)


def make_feature(group, published=True, answers=("答え1", "答え2")):
    feature = Feature.objects.create(group=group, title="コロナ禍における市民活動", published=published)
    for order, answer in enumerate(answers, start=1):
        FeatureQA.objects.create(feature=feature, order=order, question=f"質問{order}", answer=answer)
    return feature


def event_form_data(**overrides):
    start = timezone.localdate() + dt.timedelta(days=14)
    data = {
        "title": "新しいイベント",
        "category": "workshop",
        "start_date": start.isoformat(),
        "end_date": "",
        "venue_name": "市民交流館",
        "status": "scheduled",
    }
    data.update(overrides)
    return data
