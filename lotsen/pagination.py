"""Pages of a long list whose count never reads the whole register."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models.expressions import RawSQL


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: past that, the page says "more than" and offers the
    first cap rows' pages. Counting 100,000 visible people took 70 ms (the access filter runs
    for every row); counting up to the cap costs the same whatever the register's size.

    The count comes with the page's rows, in the same query; it is read alone only for a page
    number past the last page (which then shows the last page, as Django's get_page does)."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    def _capped(self) -> Any:
        return self.object_list.order_by().values("pk")[: self.cap + 1]  # type: ignore[attr-defined]

    @cached_property
    def _bounded_count(self) -> int:
        return int(self._capped().count())

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._bounded_count, self.cap)

    @cached_property
    def is_capped(self) -> bool:
        return self._bounded_count > self.cap

    def get_page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        bottom = (wanted - 1) * self.per_page
        if wanted >= 1 and bottom < self.cap:
            rows = self._rows_with_count(bottom)
            if rows or wanted == 1:
                self.__dict__["_bounded_count"] = rows[0].capped_count if rows else 0
                return Page(rows, wanted, self)
        return super().get_page(number)

    def _rows_with_count(self, bottom: int) -> list[Any]:
        # Django's own SQL for the capped count, its values passed apart as parameters.
        sql, params = self._capped().query.sql_with_params()
        count = RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608, S611
        top = min(bottom + self.per_page, self.cap)
        return list(self.object_list.annotate(capped_count=count)[bottom:top])  # type: ignore[attr-defined]
