"""Text with control characters and stray line breaks: cleaned by kyodo.core.text, and every feed and
calendar file survives whatever is already stored. Outputs are read back with independent parsers
(ElementTree for Atom, a line reader for iCalendar's content lines)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django import forms

from kyodo.community.tests.helpers import make_event, make_news
from kyodo.core.forms import CleanTextMixin
from kyodo.core.inputs import Input, OneLine
from kyodo.core.text import normalise, one_line

ATOM = "{http://www.w3.org/2005/Atom}"


def test_control_characters_go_and_tab_and_newline_stay():
    assert normalise("a\x0bb\x0cc\x00d\x7fe\tf\ng") == "abcde\tf\ng"


def test_carriage_returns_become_line_feeds():
    assert normalise("a\r\nb\rc") == "a\nb\nc"


def test_text_is_nfc():
    assert normalise("\u30ab\u3099") == "\u30ac"  # カ + combining dakuten → ガ, one character


def test_one_line_turns_line_breaks_and_tabs_into_one_space():
    assert one_line("  改行\r\n\n のある\t題  ") == "改行 のある 題"


def _content_lines(body: bytes) -> list[str]:
    """RFC 5545 content lines, unfolded: a line starting with a space continues the one before."""
    lines: list[str] = []
    for raw in body.decode("utf-8").split("\r\n"):
        if raw.startswith((" ", "\t")) and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


@pytest.mark.parametrize("path", ["/events.ics", "/events/{pk}.ics"])
def test_a_line_break_in_a_stored_title_does_not_break_the_calendar(client, db, path):
    event = make_event(
        title="改行\nのある題\x0b", description="一行目\n二行目\x0c", start_date=dt.date(2026, 12, 20)
    )
    response = client.get(path.format(pk=event.pk))
    assert response.status_code == 200
    lines = _content_lines(response.content)
    assert all(":" in line for line in lines), "every content line is NAME[;params]:value"
    assert "SUMMARY:改行 のある題" in lines
    assert "DESCRIPTION:一行目\\n二行目" in lines
    assert not any("\x0b" in line or "\x0c" in line for line in lines)


def test_a_vertical_tab_in_a_news_title_does_not_break_the_atom_feed(client, db):
    make_news(title="縦タブ\x0bの題", body="本文\x0c です")
    response = client.get("/news/feed/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entry = root.find(f"{ATOM}entry")
    assert entry is not None and entry.findtext(f"{ATOM}title") == "縦タブの題"
    assert "本文 です" in (entry.findtext(f"{ATOM}summary") or "")


class _EventLikeForm(CleanTextMixin, forms.Form):
    title = forms.CharField()
    body = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput)


def test_forms_clean_text_at_the_door():
    form = _EventLikeForm({"title": "題\x0bの\n名", "body": "一行目\r\n二行目\x0c", "secret": "pa\x0bss"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "題の 名", "body": "一行目\n二行目", "secret": "pa\x0bss"}


class _Note(Input):
    title: OneLine
    body: str


def test_inputs_clean_text_at_the_door():
    note = _Note.parse({"title": "題\nの\t名", "body": "一\r\n二\x0b"})
    assert (note.title, note.body) == ("題 の 名", "一\n二")


def test_every_recorded_action_has_a_label_in_japanese():
    """Pages that show a history name each action in words, never the code (lending.approve)."""
    import pathlib
    import re

    from django.utils import translation

    from kyodo.core.models import ACTION_LABELS, action_label

    source = "\n".join(p.read_text() for p in pathlib.Path("kyodo").rglob("*.py") if "tests" not in p.parts)
    recorded = set(re.findall(r'audit\.record\(\s*[^,]+,\s*"([a-z_.]+)"', source))
    assert recorded and recorded <= set(ACTION_LABELS), recorded - set(ACTION_LABELS)
    with translation.override("ja"):
        assert action_label("lending.approve") == "承認"
        assert all(
            not re.search(r"[a-z]", action_label(code)) or code.startswith("token") for code in ACTION_LABELS
        )
    assert action_label("something.new") == "something.new"
