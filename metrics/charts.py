"""How indicator values look: numbers in the reader's language and the 12-month sparkline.

The sparkline is inline SVG drawn here on the server: no chart library, no script, nothing
for the Content-Security-Policy to allow (SVG presentation attributes such as `stroke` are
not styles). It carries a `<title>` and an `aria-label` that say in words what it shows.
"""

import datetime
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Decimal places per catalogue unit.
DECIMALS = {
    "percent": 1,
    "count": 0,
    "ratio": 2,
    "hours": 1,
    "days": 1,
    "score": 1,
    "gini": 2,
}


def _number(value: float, decimals: int) -> str:
    return formats.number_format(
        round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


def format_value(value: float | None, unit: str) -> str:
    """A value as the dashboard shows it: "72,5%", "1.204", "12,5 jam"; "–" when unknown."""
    if value is None:
        return "–"
    number = _number(value, DECIMALS.get(unit, 1))
    if unit == "percent":
        return f"{number}%"
    if unit == "hours":
        return _("%(value)s h") % {"value": number}
    if unit == "days":
        return _("%(value)s d") % {"value": number}
    return number


def format_change(change: float | None, unit: str) -> str:
    """A signed difference from last month; a change of a percentage is in points."""
    if change is None:
        return "–"
    decimals = DECIMALS.get(unit, 1)
    if round(change, decimals) == 0:
        return _number(0, decimals)
    sign = "+" if change > 0 else "−"
    number = f"{sign}{_number(abs(change), decimals)}"
    if unit == "percent":
        return _("%(value)s pts") % {"value": number}
    if unit == "hours":
        return _("%(value)s h") % {"value": number}
    if unit == "days":
        return _("%(value)s d") % {"value": number}
    return number


def sparkline_svg(
    values: Sequence[float | None],
    *,
    months: Sequence[datetime.date],
    unit: str,
    width: int = 120,
    height: int = 32,
    connect: bool = False,
) -> SafeString:
    """A line of the last months' values, oldest on the left, with a dot on the newest.
    Missing months break the line rather than being drawn as zero; with `connect` (figures
    that exist only once a quarter) the line joins the known points instead."""
    pad = 3
    known = [v for v in values if v is not None]
    if known:
        # Named by their own months: the range's last month may have no figure yet.
        first = next(i for i, v in enumerate(values) if v is not None)
        last = max(i for i, v in enumerate(values) if v is not None)
        label = _(
            "Trend over %(count)d months (%(start)s to %(end)s): from %(first)s in "
            "%(first_month)s to %(last)s in %(last_month)s, lowest %(low)s, highest %(high)s."
        ) % {
            "count": len(values),
            "start": formats.date_format(months[0], "M Y"),
            "end": formats.date_format(months[-1], "M Y"),
            "first": format_value(values[first], unit),
            "first_month": formats.date_format(months[first], "M Y"),
            "last": format_value(values[last], unit),
            "last_month": formats.date_format(months[last], "M Y"),
            "low": format_value(min(known), unit),
            "high": format_value(max(known), unit),
        }
    else:
        label = _("No figures in the last %(count)d months.") % {"count": len(values)}
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        x = pad + index * step
        # A flat series sits in the middle rather than on the floor.
        y = height / 2 if high == low else height - pad - (value - low) / span * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    segments, current = [], []
    for index, value in enumerate(values):
        if value is not None:
            current.append(point(index, value))
        elif current and not connect:
            segments.append(current)
            current = []
    if current:
        segments.append(current)

    parts = [
        f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label={quoteattr(label)} focusable="false">',
        f"<title>{escape(label)}</title>",
        f'<line x1="{pad}" y1="{height - 1}" x2="{width - pad}" y2="{height - 1}" '
        'stroke="#d9dee5" stroke-width="1"/>',
    ]
    for segment in segments:
        if len(segment) == 1:
            x, y = segment[0]
            parts.append(f'<circle cx="{x}" cy="{y}" r="1.6" fill="#1f3f77"/>')
        else:
            coords = " ".join(f"{x},{y}" for x, y in segment)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="#1f3f77" stroke-width="1.6" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
    if known:
        newest = max(i for i, v in enumerate(values) if v is not None)
        x, y = point(newest, values[newest])
        parts.append(f'<circle cx="{x}" cy="{y}" r="2.6" fill="#1f3f77"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped text only
