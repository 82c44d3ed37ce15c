"""Reading the computed figures from the tables that store them: a desa's from its one row a
month (`DesaIndicators`), an area's above the desa from `AreaIndicatorValue`.

`IndicatorValue`, the view over both, unfolds every desa row of the months it reads before a
condition such as the caller's scope (a subquery) can apply: at national scale a Polres's desa
table took 3 s through it (docs/performance.md). The dashboards and the API read the tables,
each by its own index, and unfold a desa's row here, keeping only the keys asked for.

At desa level the figures are the catalogue's desa indicators (`catalogue.DESA_KEYS`): a desa
row written through the view under any other key is kept in the areas' table, where only the
view (the admin, SQLite's API pages) shows it.
"""

import datetime
import functools
import operator
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Max, Q

from metrics.catalogue import DESA_KEYS
from metrics.desa_table import PARTS, column
from metrics.models import AreaIndicatorValue, DesaIndicators, IndicatorValue, Level


class Figure(NamedTuple):
    area_code: str
    month: datetime.date
    indicator: str
    value: float | None
    # What the ratio is of: a survey figure's number of answers, say.
    denominator: float | None = None


def latest_month(level: str, code: str, months: list[datetime.date]) -> datetime.date | None:
    """The newest of `months` with a figure of the area. One query."""
    if level == Level.VILLAGE:
        rows = DesaIndicators.objects.filter(area_code=code, month__in=months)
    else:
        rows = AreaIndicatorValue.objects.filter(level=level, area_code=code, month__in=months)
    return rows.aggregate(latest=Max("month"))["latest"]


def figures(
    level: str,
    *,
    months: Iterable[datetime.date],
    areas,
    keys: Iterable[str] | None = None,
) -> list[Figure]:
    """The figures of `level` for the areas `areas` (codes, or a subquery of codes) in `months`,
    of the indicators `keys` (all, by default). One query."""
    months = sorted(set(months))
    keys = None if keys is None else set(keys)
    if level != Level.VILLAGE:
        rows = AreaIndicatorValue.objects.filter(level=level, month__in=months, area_code__in=areas)
        if keys is not None:
            rows = rows.filter(indicator__in=keys)
        fields = ("area_code", "month", "indicator", "value", "denominator")
        return [Figure(*row) for row in rows.values_list(*fields)]
    wanted = desa_keys(keys)
    parts = ("value", "denominator", "computed_at")
    columns = [column(key, part) for key in wanted for part in parts]
    rows = DesaIndicators.objects.filter(month__in=months, area_code__in=areas)
    return [
        Figure(code, month, key, values[3 * n], values[3 * n + 1])
        for code, month, *values in rows.values_list("area_code", "month", *columns)
        for n, key in enumerate(wanted)
        if values[3 * n + 2] is not None
    ]


def desa_keys(keys: Iterable[str] | None = None) -> list[str]:
    """The desa indicators among `keys` (all, by default), in the order rows unfold in."""
    keys = None if keys is None else set(keys)
    return sorted(key for key in DESA_KEYS if keys is None or key in keys)


def desa_columns(keys: list[str]) -> list[str]:
    """What `unfold` reads of a `DesaIndicators` row for `keys` (from `desa_keys`)."""
    return ["area_code", "month", *(column(key, part) for key in keys for part in PARTS)]


def unfold(rows: Iterable[tuple], keys: list[str]) -> list[IndicatorValue]:
    """Desa rows read as `desa_columns(keys)`, in their order, as `IndicatorValue` rows (not
    saved): one per key the desa has a figure of, in the order of `keys`."""
    unfolded = []
    for code, month, *values in rows:
        for n, key in enumerate(keys):
            value, numerator, denominator, computed_at = values[4 * n : 4 * n + 4]
            if computed_at is not None:
                unfolded.append(
                    IndicatorValue(
                        indicator=key,
                        level=Level.VILLAGE,
                        area_code=code,
                        month=month,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        computed_at=computed_at,
                    )
                )
    return unfolded


def any_of(keys: Iterable[str]) -> Q:
    """The condition on `DesaIndicators` that keeps the rows with a figure of one of `keys`
    (at least one)."""
    conditions = [Q(**{f"{column(key, 'computed_at')}__isnull": False}) for key in keys]
    return functools.reduce(operator.or_, conditions)
