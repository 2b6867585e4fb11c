"""Bar charts as inline SVG, drawn on the server: no JavaScript, readable in print.

Each chart is decorative next to its table (the table carries the numbers), so the SVG has a title for
screen readers and role="img"."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = 22
GAP = 8
LABEL_WIDTH = 190
CHART_WIDTH = 560


def _number(value, percent):
    return f"{value * 100:.0f}%" if percent else f"{value:,}"


def horizontal_bars(rows, title, percent=False):
    """rows: [(label, value)]. Values ≥ 0; percent=True shows 0.0–1.0 as percentages."""
    rows = list(rows)
    top = max([v for _, v in rows] + [1 if percent else 0]) or 1
    height = len(rows) * (BAR + GAP) + GAP
    span = CHART_WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {CHART_WIDTH} {max(height, 30)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        width = 0 if not value else max(2, round(span * value / top))
        text = str(label)
        short = text if len(text) <= 14 else text[:13] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 6}" text-anchor="end" font-size="13" fill="#1b1b1b">'
            f"{escape(short)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" fill="#0b5d3b"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR - 6}" font-size="13" fill="#1b1b1b">'
            f"{_number(value, percent)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  labels are escaped; the rest are numbers we format


def column_bars(rows, title):
    """rows: [(short label, value)], e.g. twelve months."""
    rows = list(rows)
    top = max([v for _, v in rows] + [0]) or 1
    height, base = 220, 190
    step = CHART_WIDTH / max(len(rows), 1)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" y1="{base}" x2="{CHART_WIDTH}" y2="{base}" stroke="#4a4a4a"></line>',
    ]
    for i, (label, value) in enumerate(rows):
        bar_height = 0 if not value else max(2, round(160 * value / top))
        x = i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{base - bar_height}" width="{step * 0.7:.1f}" height="{bar_height}" fill="#0b5d3b"></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{base - bar_height - 4}" text-anchor="middle" font-size="12">{value:,}</text>'
            f'<text x="{x + step * 0.35:.1f}" y="{base + 16}" text-anchor="middle" font-size="12">{escape(str(label))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  labels are escaped; the rest are numbers we format
