from types import SimpleNamespace

from django.utils import translation

from kyodo.core.i18n import choice_label, in_language


def test_english_twin_only_under_english_and_only_when_filled():
    item = SimpleNamespace(name="カメラ", name_en="Camera", body="本文", body_en="")
    with translation.override("ja"):
        assert in_language(item, "name") == "カメラ"
    with translation.override("en"):
        assert in_language(item, "name") == "Camera"
        assert in_language(item, "body") == "本文"  # no English text: the Japanese one
    assert in_language(item, "name", "en") == "Camera"


def test_choice_label_matches_djangos_display_in_both_languages():
    from kyodo.community.models import Event
    from kyodo.lending.models import Category, EquipmentType

    for language in ("ja", "en"):
        with translation.override(language):
            for value, _label in Category.choices:
                kind = EquipmentType(category=value)
                django_own = kind._get_FIELD_display(EquipmentType._meta.get_field("category"))
                assert kind.get_category_display() == django_own
            for value, _label in Event.Category.choices:
                event = Event(category=value)
                assert event.get_category_display() == event._get_FIELD_display(
                    Event._meta.get_field("category")
                )
    assert choice_label(Category, "not-a-category") == "not-a-category"
