"""Pages of a long list whose count never reads the whole register."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: past that, the page says "more than" and offers the
    first cap rows' pages. Counting 100,000 visible people took 70 ms (the access filter runs
    for every row); counting up to the cap costs the same whatever the register's size."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        unordered = self.object_list.order_by()  # type: ignore[attr-defined]
        return int(unordered[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._bounded_count, self.cap)

    @cached_property
    def is_capped(self) -> bool:
        return self._bounded_count > self.cap
