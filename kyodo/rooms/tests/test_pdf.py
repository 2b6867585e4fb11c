"""The 使用許可書 and the 領収書 as PDF, in Japanese with the system's IPA Gothic: read back with an
independent parser (tests/pdftext.py), the text carries the numbers. Needs fpdf2 (pyproject)."""

import pytest

from kyodo.rooms import pdf, services
from kyodo.rooms.tests.conftest import d
from kyodo.rooms.tests.pdftext import text_of


@pytest.fixture
def approved(member_a, group_a, hall, staff, make_booking):
    booking = make_booking(member_a, hall, d(3), group=group_a, status="approved", staff=staff)
    return booking


def test_the_permit_pdf_carries_its_number_in_japanese(approved):
    text = text_of(pdf.permit(approved))
    assert "使用許可書" in text and approved.permit_number in text and approved.reference in text
    assert "交流ホール" in text and "A町会" in text and "2027年6月3日(木)" in text


def test_the_receipt_pdf_carries_its_number_and_amount(approved, staff):
    payment = services.take_payment(staff, approved.pk)
    text = text_of(pdf.receipt(payment))
    assert "領収書" in text and payment.receipt_number in text and "1,000円" in text


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("member_a", 200), ("member_b", 404), ("staff", 200), ("admin", 200)],
)
def test_the_pdf_pages_per_persona(client_for, personas, persona, expected, approved, staff):
    payment = services.take_payment(staff, approved.pk)
    client = client_for(persona)
    permit = client.get(f"/rooms/bookings/{approved.pk}/permit.pdf")
    receipt = client.get(f"/rooms/receipts/{payment.pk}/receipt.pdf")
    assert permit.status_code == receipt.status_code == expected
    if expected == 200:
        assert permit["Content-Type"] == "application/pdf" and approved.permit_number in text_of(
            permit.content
        )
        assert payment.receipt_number in text_of(receipt.content)
