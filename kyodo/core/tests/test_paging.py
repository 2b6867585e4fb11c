"""Pages read without a COUNT: one row more than shown tells whether there is a next page."""

import pytest

from kyodo.core import paging
from kyodo.core.models import Location

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    Location.objects.all().delete()
    Location.objects.bulk_create(Location(name=f"館{i:02d}", short_name=f"{i}", order=i) for i in range(7))
    return Location.objects.order_by("order")


def test_pages_link_forward_and_back_without_counting(places, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = paging.page_of(places, 3, None)
        assert [p.name for p in first] == ["館00", "館01", "館02"]
    assert first.has_next() and not first.has_previous() and first.next_page_number() == 2
    last = paging.page_of(places, 3, "3")
    assert [p.name for p in last] == ["館06"] and not last.has_next() and last.previous_page_number() == 2


def test_a_full_last_page_has_no_next(places):
    page = paging.page_of(places.filter(order__lt=6), 3, "2")
    assert len(page) == 3 and not page.has_next() and page.has_other_pages()


@pytest.mark.parametrize(("text", "number"), [(None, 1), ("", 1), ("x", 1), ("0", 1), ("-4", 1), ("2", 2),
                                               ("99999999999999999999", paging.MAX_PAGE)])  # fmt: skip
def test_page_number_is_always_a_sane_positive_number(text, number):
    assert paging.page_number(text) == number


def test_query_without_page_keeps_the_filters(rf):
    request = rf.get("/events/", {"category": "other", "page": "3", "month": "2026-12"})
    assert paging.query_without_page(request) == "category=other&month=2026-12"
