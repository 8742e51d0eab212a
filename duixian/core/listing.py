"""Long lists people work through: free-text search and pages (issue 20).

The clerk's work list and the province's decision lists share them. The search takes up to five
words; a row matches when every word is found (case-insensitively) in one of the given fields.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

PER_PAGE = 50
MAX_WORDS = 5
# What a clerk or the province types to find an application: its number, the organisation's
# name or credit code, the project, the contact person.
APPLICATION_TEXT = ("reference", "organisation__name", "organisation__uscc", "project_name", "contact_name")


def matching(qs: QuerySet, text: str, fields=APPLICATION_TEXT) -> QuerySet:
    for word in text.split()[:MAX_WORDS]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        qs = qs.filter(any_field)
    return qs


def page_of(items, request, *, param: str = "page", count: int | None = None) -> Page:
    """The page of `items` the request asks for (`?page=`, PER_PAGE rows); a bad or too large
    number gives the first or the last page. `count`: how many `items` there are, when the caller
    has counted them already (no COUNT query then)."""
    paginator = Paginator(items, PER_PAGE)
    if count is not None:
        paginator.count = count  # the paginator's cached_property, known
    return paginator.get_page(request.GET.get(param))
