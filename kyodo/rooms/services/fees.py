"""Fees per room × 区分 × category of user, and 減免 (fee reductions). Yen, integers, never floats."""

from __future__ import annotations

from collections.abc import Sequence

from kyodo.rooms.models import REDUCTION_PERCENT, Fee, FeeCategory, Period, Reduction, Room


def fee_for(room: Room, periods: Sequence[Period], category: str) -> int:
    """The fee of these 区分 of the room for this category (the center's own use is free; a 区分
    without a fee set costs nothing)."""
    if category == FeeCategory.CENTER:
        return 0
    amounts = dict(
        Fee.objects.filter(room=room, category=category, period__in=list(periods)).values_list(
            "period_id", "amount"
        )
    )
    return sum(amounts.get(p.pk, 0) for p in periods)


def reduced(fee: int, reduction: str) -> int:
    """The fee due after a 減免: 50% rounds the waived part down (the group pays the odd yen)."""
    percent = REDUCTION_PERCENT[Reduction(reduction)]
    return fee - fee * percent // 100


def waived(fee: int, fee_due: int) -> int:
    return max(fee - fee_due, 0)
