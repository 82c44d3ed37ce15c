"""`metrics_indicatorvalue`, the view over the two tables that store the figures.

The desa's figures are stored one row per desa and month (`DesaIndicators`: for each key its
value, numerator, denominator and time), the levels above one row per indicator
(`AreaIndicatorValue`). At national scale a month is 83,000 desa rows instead of two million
narrow ones: written in 0.3 s instead of 5.6–8.5 s (docs/performance.md). The view unfolds a
desa row into one row per indicator that has a time, so that the admin, the tests and the ORM
see one shape at every level; `INSTEAD OF` triggers send a write through the view (the
factories, any ORM write) to the table that holds the row. The compute writes the tables
directly (`metrics.compute.desa`), and the dashboards and the API read them directly
(`metrics.figures`): the view unfolds every desa row of the months read before a join (such as
the caller's scope) can apply.

The statements are built from a list of keys: a migration that adds a desa indicator adds its
columns and builds the view and triggers again with the new list (see migration 0007).
"""

VIEW = "metrics_indicatorvalue"
DESA = "metrics_desaindicators"
AREAS = "metrics_areaindicatorvalue"
COLUMNS = "indicator, level, area_code, month, value, numerator, denominator, computed_at"
PARTS = ("value", "numerator", "denominator", "computed_at")


def column(key: str, part: str) -> str:
    """The column of `DesaIndicators` holding `part` of indicator `key`."""
    return {"value": key, "numerator": f"{key}_num", "denominator": f"{key}_den"}.get(
        part, f"{key}_at"
    )


def keys_list(keys) -> str:
    return "(" + ", ".join(f"'{key}'" for key in keys) + ")"


# --- The view --------------------------------------------------------------------------------

AREA_ROWS = "SELECT {columns} FROM {areas}"

# PostgreSQL unfolds a row with a LATERAL list of values: no comparison per column.
DESA_ROWS_POSTGRES = """
SELECT u.indicator, 'desa', w.area_code, w.month, u.value, u.numerator, u.denominator,
       u.computed_at
FROM {desa} w CROSS JOIN LATERAL (VALUES {rows})
    AS u (indicator, value, numerator, denominator, computed_at)
WHERE u.computed_at IS NOT NULL"""

# SQLite has no LATERAL: each row joined to the list of keys, each column picked by key.
DESA_ROWS_SQLITE = """
SELECT k.indicator, 'desa', w.area_code, w.month, {picks}
FROM {desa} w CROSS JOIN ({keys}) k
WHERE {at} IS NOT NULL"""


def view(keys, vendor: str) -> str:
    if vendor == "postgresql":
        rows = ", ".join(
            f"('{key}', " + ", ".join(f"w.{column(key, part)}" for part in PARTS) + ")"
            for key in keys
        )
        desa_rows = DESA_ROWS_POSTGRES.format(desa=DESA, rows=rows)
    else:
        picks = [_pick(keys, part) for part in PARTS]
        desa_rows = DESA_ROWS_SQLITE.format(
            desa=DESA,
            picks=", ".join(picks),
            keys=" UNION ALL ".join(f"SELECT '{key}' AS indicator" for key in keys),
            at=picks[-1],
        )
    area_rows = AREA_ROWS.format(columns=COLUMNS, areas=AREAS)
    return f"CREATE VIEW {VIEW} ({COLUMNS}) AS {area_rows}\nUNION ALL{desa_rows}"


def _pick(keys, part: str) -> str:
    whens = " ".join(f"WHEN '{key}' THEN w.{column(key, part)}" for key in keys)
    return f"CASE k.indicator {whens} END"


# --- Writing through the view ----------------------------------------------------------------
# A row's write is a delete of OLD and an insert of NEW; each statement below applies only to
# the rows of its table (the conditions on `level` and `indicator`).


def _in_desa(row: str, keys) -> str:
    return f"{row}.level = 'desa' AND {row}.indicator IN {keys_list(keys)}"


def _set(keys, row: str, *, clear: bool) -> str:
    """SET clauses that write (or clear) the columns of the indicator `row` names."""
    return ", ".join(
        f"{column(key, part)} = CASE WHEN {row}.indicator = '{key}' THEN "
        f"{'NULL' if clear else f'{row}.{part}'} ELSE {column(key, part)} END"
        for key in keys
        for part in PARTS
    )


DELETE_AREA_ROW = (
    "DELETE FROM {areas} WHERE level = OLD.level AND month = OLD.month"
    " AND area_code = OLD.area_code AND indicator = OLD.indicator"
)
CLEAR_DESA_FIGURES = (
    "UPDATE {desa} SET {assignments} WHERE {in_desa} AND month = {row}.month"
    " AND area_code = {row}.area_code"
)
DELETE_EMPTY_DESA_ROW = (
    "DELETE FROM {desa} WHERE month = OLD.month AND area_code = OLD.area_code AND {all_cleared}"
)
TAKEN = (
    "SELECT 1 FROM {view} v WHERE v.level = NEW.level AND v.month = NEW.month"
    " AND v.area_code = NEW.area_code AND v.indicator = NEW.indicator"
)
INSERT_AREA_ROW = (
    "INSERT INTO {areas} ({columns}) SELECT NEW.indicator, NEW.level, NEW.area_code,"
    " NEW.month, NEW.value, NEW.numerator, NEW.denominator, NEW.computed_at"
    " WHERE NOT ({in_desa})"
)
INSERT_DESA_ROW = (
    "INSERT INTO {desa} (month, area_code) SELECT NEW.month, NEW.area_code"
    " WHERE {in_desa} ON CONFLICT DO NOTHING"
)


def delete_statements(keys) -> list[str]:
    all_cleared = " AND ".join(f"{column(key, 'computed_at')} IS NULL" for key in keys)
    return [
        DELETE_AREA_ROW.format(areas=AREAS),
        CLEAR_DESA_FIGURES.format(
            desa=DESA,
            assignments=_set(keys, "OLD", clear=True),
            in_desa=_in_desa("OLD", keys),
            row="OLD",
        ),
        DELETE_EMPTY_DESA_ROW.format(desa=DESA, all_cleared=all_cleared),
    ]


def insert_statements(keys) -> list[str]:
    """After the check that the row is not stored yet (which a desa row's table cannot make)."""
    in_desa = _in_desa("NEW", keys)
    return [
        INSERT_AREA_ROW.format(areas=AREAS, columns=COLUMNS, in_desa=in_desa),
        INSERT_DESA_ROW.format(desa=DESA, in_desa=in_desa),
        CLEAR_DESA_FIGURES.format(
            desa=DESA, assignments=_set(keys, "NEW", clear=False), in_desa=in_desa, row="NEW"
        ),
    ]


POSTGRES_FUNCTION = """
CREATE FUNCTION {view}_write() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {delete};
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF EXISTS ({taken}) THEN
        RAISE unique_violation USING MESSAGE = 'duplicate key of {view}';
    END IF;
    {insert};
    RETURN NEW;
END
$body$
"""
POSTGRES_TRIGGER = (
    "CREATE TRIGGER {view}_write INSTEAD OF INSERT OR UPDATE OR DELETE ON {view}"
    " FOR EACH ROW EXECUTE FUNCTION {view}_write()"
)

SQLITE_TRIGGER = """
CREATE TRIGGER {view}_{operation} INSTEAD OF {operation} ON {view}
BEGIN
    {statements};
END
"""
SQLITE_TAKEN = "SELECT RAISE(ABORT, 'UNIQUE constraint failed: {view}') WHERE EXISTS ({taken})"


def triggers(keys, vendor: str) -> list[str]:
    deletes, inserts = delete_statements(keys), insert_statements(keys)
    if vendor == "postgresql":
        function = POSTGRES_FUNCTION.format(
            view=VIEW,
            delete=";\n        ".join(deletes),
            insert=";\n    ".join(inserts),
            taken=TAKEN.format(view=VIEW),
        )
        return [function, POSTGRES_TRIGGER.format(view=VIEW)]
    taken = SQLITE_TAKEN.format(view=VIEW, taken=TAKEN.format(view=VIEW))
    bodies = {
        "DELETE": deletes,
        "INSERT": [taken, *inserts],
        "UPDATE": [*deletes, taken, *inserts],
    }
    return [
        SQLITE_TRIGGER.format(view=VIEW, operation=operation, statements=";\n    ".join(body))
        for operation, body in bodies.items()
    ]


def create(schema_editor, keys) -> None:
    vendor = schema_editor.connection.vendor
    for statement in [view(keys, vendor), *triggers(keys, vendor)]:
        schema_editor.execute(statement)


def drop(schema_editor) -> None:
    schema_editor.execute(f"DROP VIEW IF EXISTS {VIEW}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {VIEW}_write()")


# --- Moving the stored rows (migrations) -----------------------------------------------------


FOLD = (
    "INSERT INTO {desa} (month, area_code, {columns}) SELECT month, area_code, {picks}"
    " FROM {areas} WHERE {rows} GROUP BY month, area_code"
)
DELETE_FOLDED = "DELETE FROM {areas} WHERE {rows}"
UNFOLD = (
    "INSERT INTO {areas} ({columns}) SELECT '{key}', 'desa', area_code, month, {parts}"
    " FROM {desa} WHERE {at} IS NOT NULL"
)


def fold(schema_editor, keys) -> None:
    """The desa rows of `keys` from the narrow table into the wide one."""
    picks = ", ".join(
        f"MAX(CASE WHEN indicator = '{key}' THEN {part} END)" for key in keys for part in PARTS
    )
    columns = ", ".join(column(key, part) for key in keys for part in PARTS)
    rows = f"level = 'desa' AND indicator IN {keys_list(keys)}"
    schema_editor.execute(
        FOLD.format(desa=DESA, columns=columns, picks=picks, areas=AREAS, rows=rows)
    )
    schema_editor.execute(DELETE_FOLDED.format(areas=AREAS, rows=rows))


def unfold(schema_editor, keys) -> None:
    """The other way: one narrow row per key that has a time."""
    for key in keys:
        parts = ", ".join(column(key, part) for part in PARTS)
        at = column(key, "computed_at")
        schema_editor.execute(
            UNFOLD.format(areas=AREAS, columns=COLUMNS, key=key, parts=parts, desa=DESA, at=at)
        )
