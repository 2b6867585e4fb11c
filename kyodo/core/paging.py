"""Pages of a list without counting the whole list.

Django's Paginator runs a COUNT over every matching row to know the number of pages; lists here only
link to the previous and the next page, so a page reads one row more than it shows to know whether a
next page exists. One query per page whatever the size of the list, on an empty list as on a full one.
"""

MAX_PAGE = 10_000  # beyond this a page number is a typo or a probe; it shows the last page asked for


class Page:
    def __init__(self, queryset, per_page, number):
        self.number = number
        self.per_page = per_page
        offset = (number - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        self._more = len(rows) > per_page
        self.object_list = rows[:per_page]

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(text):
    """The page asked for in ?page=: 1 when missing or not a positive number."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(queryset, per_page, text):
    return Page(queryset, per_page, page_number(text))


def query_without_page(request):
    """The request's query string without ?page=, for pager links that keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
