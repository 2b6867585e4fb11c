"""The 使用許可書 and the 領収書 as PDF (fpdf2), in Japanese with IPA Gothic from the system packages
(Debian's fonts-ipafont-gothic; KYODO_PDF_FONT overrides the path). The same words as the printable
pages, which stay the first way to print."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from kyodo.core.dates import format_date, format_datetime
from kyodo.rooms.models import Payment, RoomBooking

DEFAULT_FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"


def font_path() -> str:
    return str(getattr(settings, "KYODO_PDF_FONT", "") or DEFAULT_FONT)


def _document(title: str, lines: list[tuple[str, str]], footer: str) -> bytes:
    from fpdf import FPDF  # fpdf2; imported here so that the rest of the app does not need it

    document = FPDF(format="A4")
    document.set_title(title)
    document.set_creator("Kyodo")
    document.add_page()
    if not Path(font_path()).exists():
        raise RuntimeError(
            f"the Japanese font is missing: {font_path()} (apt-get install fonts-ipafont-gothic)"
        )
    document.add_font("IPAGothic", "", font_path())
    document.set_font("IPAGothic", size=20)
    document.cell(0, 16, title, align="C", new_x="LMARGIN", new_y="NEXT")
    document.ln(6)
    document.set_font("IPAGothic", size=11)
    for label, value in lines:
        document.cell(45, 9, label)
        document.multi_cell(0, 9, value or "—", new_x="LMARGIN", new_y="NEXT")
    document.ln(10)
    document.multi_cell(0, 7, footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def _periods(booking: RoomBooking) -> str:
    return "、".join(f"{p.name} {p.start:%H:%M}–{p.end:%H:%M}" for p in booking.period_list())


def permit(booking: RoomBooking) -> bytes:
    with translation.override("ja"):
        lines = [
            ("許可番号", booking.permit_number or ""),
            ("受付番号", booking.reference or ""),
            ("使用者", booking.group.name if booking.group else booking.location.name),
            ("施設", f"{booking.location.name} {booking.room.name}"),
            ("使用日", format_date(booking.date, "ja")),
            ("区分", _periods(booking)),
            ("使用目的", booking.purpose),
            ("利用人数（予定）", f"{booking.attendees or ''}人"),
            ("当日の責任者", booking.person_in_charge),
            (
                "使用料",
                f"{booking.fee_due:,}円"
                + (f"（減免前 {booking.fee:,}円）" if booking.fee_due != booking.fee else ""),
            ),
            ("減免の理由", booking.reduction_reason),
            ("許可日", format_datetime(booking.approved_at, "ja") if booking.approved_at else ""),
        ]
        footer = f"上記のとおり使用を許可します。\n{booking.location.name}\n{booking.location.address}  {booking.location.phone}"
        return _document("使用許可書", lines, footer)


def receipt(payment: Payment) -> bytes:
    booking = payment.booking
    with translation.override("ja"):
        title = "返金の記録" if payment.is_refund() else "領収書"
        lines = [
            ("領収書番号", payment.receipt_number or ""),
            ("宛名", booking.group.name if booking.group else ""),
            ("金額", f"{payment.amount:,}円"),
            ("但し", f"{booking.room.name} 使用料（{format_date(booking.date, 'ja')} {_periods(booking)}）"),
            ("受付番号", booking.reference or ""),
            ("支払方法", payment.get_method_display()),
            ("日付", format_datetime(payment.recorded_at, "ja")),
        ]
        footer = f"上記の金額を{'返金しました' if payment.is_refund() else '領収いたしました'}。\n{booking.location.name}\n{booking.location.address}  {booking.location.phone}"
        return _document(title, lines, footer)
