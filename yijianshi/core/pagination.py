"""Paged lists for the API: `limit` (1–100) and `offset`, both bounded so no query can overflow."""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 1_000_000  # deeper than any page a person reads; programs filter instead


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MappedPage:
    """A lazily shaped page for `@paginate`: the paginator counts and slices the queryset, then each row of the
    slice is shaped (the shape may need more than a schema can resolve from a row)."""

    def __init__(self, queryset, shape):
        self.queryset, self.shape = queryset, shape

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        rows = self.queryset[index]
        return [self.shape(row) for row in rows] if isinstance(index, slice) else self.shape(rows)


class IdsFirst:
    """A page of an ordered queryset read in two steps: the page's ids, from an index alone where the ordering
    allows (an index-only scan), then only those rows with what they select — instead of reading every matching
    row with its joins to keep a page of them. Counts and slices like a queryset (`Paginator`, `MappedPage`)."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.ordered = True

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        found = self.queryset.filter(pk__in=ids).in_bulk()
        return [found[pk] for pk in ids if pk in found]
