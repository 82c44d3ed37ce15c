"""Synthetic activity at the scale of a Polres, a province or the nation, on the real
territory, for load tests and the benchmark (`bench/`): officers and their assignment history,
FKPM with members and two years of meetings, problems through the SARA cycle, visits, crime
statistics and surveys. Millions of rows: written with COPY on PostgreSQL, bypassing the
services but keeping every invariant the models and the services hold.

`manage.py seed_demo --scale polres|province|national` runs it; see docs/performance.md.
"""

from .run import ScaleReport, SyntheticDataExists, TerritoryMissing, report_lines, seed_scale
from .scope import SCALES

__all__ = [
    "SCALES",
    "ScaleReport",
    "SyntheticDataExists",
    "TerritoryMissing",
    "report_lines",
    "seed_scale",
]
