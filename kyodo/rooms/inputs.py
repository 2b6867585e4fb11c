"""The typed inputs of the rooms' commands: every limit stated once, shared by the forms and the API."""

from __future__ import annotations

from ninja import Field

from kyodo.core.inputs import BoundedDate, Input, OneLine
from kyodo.rooms.models import Reduction, Use

MAX_PERIODS = 6
MAX_PURPOSE = 300
MAX_ATTENDEES = 10_000
MAX_REASON = 300
MAX_NAME = 100
MAX_KEY = 100


class BookingInput(Input):
    """A 仮予約: a room, a day and one or several consecutive 区分 (by code)."""

    room: int = Field(..., ge=1, le=2**31 - 1)
    date: BoundedDate
    periods: list[str] = Field(..., min_length=1, max_length=MAX_PERIODS)
    group: int | None = Field(None, ge=1, le=2**31 - 1)
    purpose: OneLine = Field("", max_length=MAX_PURPOSE)
    attendees: int | None = Field(None, ge=1, le=MAX_ATTENDEES)
    use: Use = Use.MEETING
    terms_accepted: bool = False


class ApplicationInput(Input):
    """The 使用申請 that completes a 仮予約: purpose, attendees, person in charge, 減免 with its reason."""

    purpose: OneLine = Field(..., min_length=1, max_length=MAX_PURPOSE)
    attendees: int = Field(..., ge=1, le=MAX_ATTENDEES)
    person_in_charge: OneLine = Field(..., min_length=1, max_length=MAX_NAME)
    contact_phone: OneLine = Field("", max_length=30)
    use: Use = Use.MEETING
    reduction: Reduction = Reduction.NONE
    reduction_reason: str = Field("", max_length=MAX_REASON)
    terms_accepted: bool = False


class ReasonInput(Input):
    """A reason (returning an application, a staff cancellation)."""

    reason: str = Field("", max_length=MAX_REASON)


class PaymentInput(Input):
    amount: int = Field(..., ge=1, le=10_000_000)
    method: str = Field("cash", max_length=10)
    note: OneLine = Field("", max_length=200)


class AttendanceInput(Input):
    attendance: int = Field(..., ge=0, le=MAX_ATTENDEES)


class RecurringInput(Input):
    """Staff book a regular group's 区分 on every (nth) weekday from start to end."""

    room: int = Field(..., ge=1, le=2**31 - 1)
    group: int | None = Field(None, ge=1, le=2**31 - 1)
    weekday: int = Field(..., ge=0, le=6)
    nth: int = Field(0, ge=0, le=5)  # 0: every week; 1–5: the nth such weekday of the month
    periods: list[str] = Field(..., min_length=1, max_length=MAX_PERIODS)
    start: BoundedDate
    end: BoundedDate
    purpose: OneLine = Field("", max_length=MAX_PURPOSE)
    attendees: int | None = Field(None, ge=1, le=MAX_ATTENDEES)


class BlockInput(Input):
    room: int = Field(..., ge=1, le=2**31 - 1)
    date: BoundedDate
    period: str = Field("", max_length=20)  # empty: the whole day
    kind: str = Field("maintenance", max_length=20)
    reason: OneLine = Field("", max_length=200)
