from types import SimpleNamespace

from django.utils import translation

from kyodo.core.i18n import in_language


def test_english_twin_only_under_english_and_only_when_filled():
    item = SimpleNamespace(name="カメラ", name_en="Camera", body="本文", body_en="")
    with translation.override("ja"):
        assert in_language(item, "name") == "カメラ"
    with translation.override("en"):
        assert in_language(item, "name") == "Camera"
        assert in_language(item, "body") == "本文"  # no English text: the Japanese one
    assert in_language(item, "name", "en") == "Camera"
