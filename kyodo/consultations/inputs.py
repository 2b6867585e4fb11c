"""The typed inputs of consultation booking: every limit (lengths) stated once.

The API takes `BookingInput` as its request body (as `api.BookingIn`), the service validates what any
door gives it with `PersonInput.parse` (kyodo.core.inputs: the same words as the API's 422), and the
forms read the limits back for their widgets (`PersonInput.bound`). The rules that depend on who books
(the person: furigana, e-mail and consent; staff: an e-mail address or a phone number) are the service's
(`services.clean_person`), which the forms ask too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field

from kyodo.core.inputs import Input
from kyodo.core.text import normalise_phone, to_katakana

# Typed as people type them on a phone: full-width digits and any dash become 076-220-2026, hiragana
# and half-width katakana become katakana (the service then checks what is left: services.clean_person).
Phone = Annotated[str, AfterValidator(normalise_phone)]
Reading = Annotated[str, AfterValidator(to_katakana)]


class PersonInput(Input):
    """Who the consultation is for."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(default="", max_length=100)
    kana: Reading = Field(default="", max_length=100)
    email: str = Field(default="", max_length=254)
    phone: Phone = Field(default="", max_length=30)
    group_name: str = Field(default="", max_length=200)
    message: str = Field(default="", max_length=2000)
    consent: bool = False
    website: str = ""  # the honeypot field people never see


class BookingInput(PersonInput):
    """A public booking: the person, what about, how, and when."""

    start: str
    mode: str
    topic: int | str
    location: int | None = None
    language: str = "ja"  # of the e-mails and the private link: "ja" or "en"


class StaffNotesInput(Input):
    """Staff's internal notes on a booking and its online meeting link."""

    model_config = ConfigDict(str_strip_whitespace=True)

    staff_notes: str = Field(default="", max_length=5000)
    meeting_url: str = Field(default="", max_length=200)
