"""QR codes (二次元コード) as SVG or PNG, with segno.

Every code has the 4-module quiet zone ISO/IEC 18004 asks for around it: with less, phone readers that
find the code among printed text (the newsletter, a label sheet) often fail to lock on."""

import io

import segno

QUIET_ZONE = 4  # modules of white on each side (ISO/IEC 18004)


def svg(data: str, scale: int = 4, border: int = QUIET_ZONE) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True
    )
    return buffer.getvalue()


def png(data: str, scale: int = 8, border: int = QUIET_ZONE) -> bytes:
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
        border=QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr",
    )
    return buffer.getvalue().decode()
