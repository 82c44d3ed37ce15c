"""Paging through indicator values without counting them: newest month first, then level, area
and indicator, each page continuing after the last row of the one before (a keyset cursor).

A Polda viewer's three years are millions of rows. Counting them and sorting them all for every
page took 20 s at national scale; the areas' table is keyed by level, then month, and the
desa's (one row per desa and month) by month, so a page reads one month, each level on its own
range of its table's key, and only where that month runs out the months before it, in groups
of 1, 2, 4, … months: a few queries a page, however many rows there are (at national scale
20–30 ms a page for an operator, 60–90 ms for a Polda viewer, whose scope is thousands of
desa codes).
"""

import base64
import binascii
import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from metrics import figures
from metrics.models import IndicatorValue, Level

WITHIN_MONTH = ("level", "area_code", "indicator")
# The order of the level column's values, as the database sorts them (plain ASCII words).
LEVELS_IN_ORDER = sorted(IndicatorValue.Level.values)
AREA_CODE_LENGTH = IndicatorValue._meta.get_field("area_code").max_length
INDICATOR_LENGTH = IndicatorValue._meta.get_field("indicator").max_length
SEPARATOR = "|"


@dataclass(frozen=True)
class DesaPart:
    """The desa level's values, stored one row per desa and month (`DesaIndicators`): `rows`
    in the caller's scope and filters, `keys` the indicators asked for (`figures.desa_keys`),
    each row unfolded into one value per key it has."""

    rows: QuerySet
    keys: list[str]

    def read(self, group, after, limit: int) -> list[IndicatorValue]:
        """The first `limit` values of the months of `group` after the cursor `after`, newest
        month first, then by area and indicator: per month a range of the table's key (month,
        area) read in order and cut at `limit` + 1 rows, each holding at least one value (the
        cursor's own row may have none left after it)."""
        parts = []
        for month in group:
            part = self.rows.filter(month=month)
            if after is not None and month == after[0]:
                if after[1] != Level.VILLAGE:
                    continue  # the desa come first in a month: all before the cursor
                part = part.filter(area_code__gte=after[2])
            columns = figures.desa_columns(self.keys)
            parts.append(part.order_by("area_code").values_list(*columns)[: limit + 1])
        if not parts:
            return []
        if len(parts) > 1:
            union = parts[0].union(*parts[1:], all=True)
            parts = [union.order_by("-month", "area_code")[: limit + 1]]
        rows = figures.unfold(parts[0], self.keys)
        if after is not None and after[1] == Level.VILLAGE:
            month, _level, area_code, indicator = after
            rows = [
                row
                for row in rows
                if (row.month, row.area_code) != (month, area_code) or row.indicator > indicator
            ]
        return rows[:limit]


class MonthKeysetPagination(BasePagination):
    """The view gives the months asked for, newest first (`view.requested_months()`)."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 50
    max_page_size = 1000
    invalid_cursor = _("This page link is not valid: start again from the first page.")
    invalid_page_size = _("page_size must be a whole number from 1 to %(max)d.")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        after = self.decode_cursor(request)
        months = view.requested_months()
        if after is not None:
            months = [month for month in months if month <= after[0]]
        by_level = None
        if connection.features.supports_slicing_ordering_in_compound and hasattr(
            view, "level_values"
        ):
            by_level = {level: view.level_values(level) for level in LEVELS_IN_ORDER}
        rows, start, span = [], 0, 1
        while len(rows) <= size and start < len(months):
            group = months[start : start + span]
            rows += self.read(queryset, group, after, size + 1 - len(rows), by_level)
            start, span = start + span, span * 2
        # One row more than the page tells whether there is a next page: it starts after the
        # page's last row.
        self.last_row = rows[size - 1] if len(rows) > size else None
        return rows[:size]

    def read(self, queryset, group, after, limit: int, by_level) -> list[IndicatorValue]:
        """The first `limit` rows of the months of `group` after the cursor `after`. With
        `by_level` (PostgreSQL; each level's values in the caller's scope, from
        `view.level_values`) a UNION ALL of one part per month and level above the desa, each
        a range of the index (level, month, area, indicator) read in order and cut at
        `limit` (a condition on the month alone walks the whole index, every level's every
        month: 2.5 s a page at national scale, and a part naming several months would sort
        them all), and the desa rows (a `DesaPart`) in a query of their own: two queries.
        Otherwise (SQLite, small tables) one statement over the group."""
        if by_level is None:
            page = queryset.filter(month__in=group)
            if after is not None and after[0] in group:
                page = page.filter(Q(month__lt=after[0]) | self.after_in_month(after))
            return list(page.order_by("-month", *WITHIN_MONTH)[:limit])
        parts, desa = [], by_level.get(Level.VILLAGE)
        for month in group:
            for level, values in by_level.items():
                if values is None or level == Level.VILLAGE:
                    continue
                part = values.filter(month=month)
                if after is not None and month == after[0]:
                    if level < after[1]:
                        continue
                    if level == after[1]:
                        # >= bounds the index range; the OR drops the cursor's own area's
                        # indicators up to the cursor.
                        part = part.filter(area_code__gte=after[2]).filter(
                            Q(area_code__gt=after[2]) | Q(indicator__gt=after[3])
                        )
                parts.append(part.order_by("area_code", "indicator")[:limit])
        rows = desa.read(group, after, limit) if desa is not None else []
        if len(parts) == 1:
            rows += list(parts[0])
        elif parts:
            union = parts[0].union(*parts[1:], all=True)
            rows += list(union.order_by("-month", *WITHIN_MONTH)[:limit])
        # Newest month first, the desa first within a month ("desa" sorts before the other
        # levels); each part keeps its order (a stable sort).
        rows.sort(key=lambda row: (-row.month.toordinal(), row.level != Level.VILLAGE))
        return rows[:limit]

    @staticmethod
    def after_in_month(after) -> Q:
        month, level, area_code, indicator = after
        return Q(month=month) & (
            Q(level__gt=level)
            | Q(level=level, area_code__gt=area_code)
            | Q(level=level, area_code=area_code, indicator__gt=indicator)
        )

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # isdigit() alone lets through "²", which int() refuses.
        if not (raw.isascii() and raw.isdecimal()) or not 1 <= int(raw) <= self.max_page_size:
            message = self.invalid_page_size % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            text = base64.urlsafe_b64decode(raw.encode("ascii")).decode("utf-8")
            month, level, area_code, indicator = text.split(SEPARATOR)
            month = datetime.date.fromisoformat(month)
        except (ValueError, UnicodeError, binascii.Error):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor]}) from None
        if (
            level not in IndicatorValue.Level.values
            or month.day != 1
            or "\x00" in text  # PostgreSQL refuses NUL in a string parameter
            or len(area_code) > AREA_CODE_LENGTH
            or len(indicator) > INDICATOR_LENGTH
        ):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor]})
        return month, level, area_code, indicator

    def encode_cursor(self, row: IndicatorValue) -> str:
        key = (row.month.isoformat(), row.level, row.area_code, row.indicator)
        return base64.urlsafe_b64encode(SEPARATOR.join(key).encode("utf-8")).decode("ascii")

    def get_next_link(self) -> str | None:
        if self.last_row is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(self.last_row))

    def get_paginated_response(self, data):
        return Response(OrderedDict([("next", self.get_next_link()), ("results", data)]))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: taken from the previous page's `next`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page, 1 to {self.max_page_size} (50 by default).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
