"""Directory search: hiragana, katakana and half-width katakana find the same group (property tests)."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.groups import services
from kyodo.groups.kana import katakana_to_hiragana, normalize
from kyodo.groups.models import Group

# Hiragana that have a half-width katakana form (ゎ, ゐ, ゑ have none), with voiced and small kana.
HIRAGANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
    "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉゃゅょっゔー"
)


def to_katakana(text):
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _halfwidth_table():
    table = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1:
            table[full] = half
    table["\u3099"] = "\uff9e"  # combining voiced mark → ﾞ
    table["\u309a"] = "\uff9f"  # combining semi-voiced mark → ﾟ
    return table


HALF = _halfwidth_table()


def to_halfwidth(katakana):
    """ガ → ｶﾞ: decompose, then map each full-width katakana and mark to its half-width form."""
    return "".join(HALF.get(c, c) for c in unicodedata.normalize("NFD", katakana))


readings = st.text(alphabet=HIRAGANA, min_size=1, max_size=20)


@given(readings)
def test_three_ways_of_writing_a_reading_normalise_alike(reading):
    katakana = to_katakana(reading)
    half = to_halfwidth(katakana)
    assert normalize(reading) == normalize(katakana) == normalize(half)


@given(st.text(max_size=30))
def test_normalise_is_idempotent_and_has_no_whitespace(text):
    once = normalize(text)
    assert normalize(once) == once
    assert not any(c.isspace() for c in once)


@given(st.text(alphabet=HIRAGANA, max_size=20))
def test_hiragana_is_left_alone(text):
    assert katakana_to_hiragana(text) == text


def test_examples():
    assert normalize("ﾌｧｲﾝﾃﾞｨﾝｸﾞ ｺﾞﾐ") == normalize("ファインディング ゴミ") == "ふぁいんでぃんぐごみ"
    assert normalize("ＦＩＫＡ　金沢") == "fika金沢"
    assert normalize("ヴ") == normalize("ｳﾞ") == "ゔ"


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(reading=st.text(alphabet=HIRAGANA.replace("ー", ""), min_size=3, max_size=12), data=st.data())
def test_search_finds_a_group_by_any_part_of_its_kana_in_any_form(reading, data):
    group = Group.objects.create(
        name="テスト団体",
        kana=reading,
        representative="代表",
        contact_email="t@example.jp",
        status="approved",
        listed=True,
    )
    try:
        start = data.draw(st.integers(0, len(reading) - 1))
        end = data.draw(st.integers(start + 1, len(reading)))
        part = reading[start:end]
        form = data.draw(st.sampled_from(["hiragana", "katakana", "half"]))
        query = {"hiragana": part, "katakana": to_katakana(part), "half": to_halfwidth(to_katakana(part))}[
            form
        ]
        assert group in Group.objects.listed().matching(query)
    finally:
        group.delete()


@pytest.mark.django_db
def test_search_key_follows_renames_and_does_not_straddle_name_and_kana():
    group = Group.objects.create(
        name="金沢の会",
        kana="かなざわのかい",
        representative="代表",
        contact_email="t@example.jp",
        status="approved",
        listed=True,
    )
    listed = Group.objects.listed()
    assert list(listed.matching("カナザワ")) == [group]
    assert list(listed.matching("会かな")) == []  # the end of the name + start of the kana
    group.kana = "かなざわのつどい"
    group.save()
    assert list(listed.matching("ツドイ")) == [group]
    assert list(listed.matching("  ")) == [group]  # an empty query filters nothing
    group.name = "金沢の集い"
    group.save(update_fields=["name"])  # a save of some fields still keeps the key
    assert list(listed.matching("集い")) == [group]
    # An update bypasses save(); the daily repair refreshes the keys.
    Group.objects.filter(pk=group.pk).update(kana="べつのよみ")
    assert services.refresh_search_keys() == 1
    assert list(listed.matching("ベツノ")) == [group]
