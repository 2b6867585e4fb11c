"""CSV (UTF-8 with BOM, so Excel in Japan opens it) and an Excel workbook of the year's tables."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from kyodo.core.cells import neutralise, neutralise_row
from kyodo.reports.tables import Percent


def to_csv(table):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(neutralise_row(table.headers))
    writer.writerows(neutralise_row(row) for row in table.rows)
    return buffer.getvalue().encode("utf-8")


INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"


def _append(sheet, row):
    """One table row: counts and shares as numbers with a number format (never as text), text neutralised."""
    sheet.append([cell.ratio if isinstance(cell, Percent) else neutralise(cell) for cell in row])
    for given, cell in zip(row, sheet[sheet.max_row], strict=False):
        if isinstance(given, Percent):
            cell.number_format = PERCENT_FORMAT
        elif isinstance(given, bool):
            continue
        elif isinstance(given, int):
            cell.number_format = INTEGER_FORMAT
        elif isinstance(given, float):
            cell.number_format = DECIMAL_FORMAT


def to_xlsx(tables, title):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=re.sub(r"[\\/*?:\[\]]", "・", table.title)[:31])
        sheet.append([neutralise(title)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([neutralise(table.title)])
        sheet.append(neutralise_row(table.headers))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append(sheet, row)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column) + 4
            sheet.column_dimensions[column[0].column_letter].width = min(width * 1.6, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
