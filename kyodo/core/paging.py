"""Pages of a list without counting the whole list.

Django's Paginator runs a COUNT over every matching row to know the number of pages; lists here only
link to the previous and the next page, so a page reads one row more than it shows to know whether a
next page exists. One query per page whatever the size of the list, on an empty list as on a full one.
"""

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from django.http import HttpRequest

MAX_PAGE = 10_000  # beyond this a page number is a typo or a probe; it shows the last page asked for


class Sliceable(Protocol):
    """What a page is cut from: a queryset, a list, or a list object of its own (UpcomingEvents)."""

    def __getitem__(self, part: slice, /) -> Iterable[Any]: ...


class Page:
    def __init__(self, queryset: Sliceable, per_page: int, number: int) -> None:
        self.number = number
        self.per_page = per_page
        offset = (number - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        self._more = len(rows) > per_page
        self.object_list = rows[:per_page]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(text: str | None) -> int:
    """The page asked for in ?page=: 1 when missing or not a positive number."""
    if text is None:
        return 1
    try:
        number = int(text)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(queryset: Sliceable, per_page: int, text: str | None) -> Page:
    return Page(queryset, per_page, page_number(text))


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without ?page=, for pager links that keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
