"""QR codes (二次元コード) as SVG or PNG, with segno."""

import io

import segno


def svg(data: str, scale: int = 4, border: int = 2) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True
    )
    return buffer.getvalue()


def png(data: str, scale: int = 8, border: int = 2) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def svg_inline(data: str, scale: int = 3, title: str = "") -> str:
    """SVG markup to inline in a page (labels, flyers): no XML declaration, with a title for screen readers."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr",
    )
    return buffer.getvalue().decode()
