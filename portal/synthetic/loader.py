"""Where the synthetic rows go: COPY on PostgreSQL, batched INSERTs elsewhere (SQLite).

Rows are plain tuples in the order of a table's declared columns, with explicit primary keys
(`Ids` hands them out), so children can point at parents before anything reaches the
database. Every row of a run is written inside one transaction: the foreign keys Django creates
are DEFERRABLE INITIALLY DEFERRED, so the order in which tables are flushed does not matter and
a failed run leaves nothing behind.

A national run writes tens of millions of rows. On PostgreSQL `bulk=True` drops the secondary
indexes, unique and foreign-key constraints of the tables it fills and re-creates them after the
last COPY, inside the same transaction: building an index once over sorted input and checking a
foreign key with one join is several times faster than maintaining both row by row (measured:
1M rows, 7.7 s with the foreign key and indexes in place, 2.6 s loaded bare then indexed).
Meanwhile other sessions wait on those tables: this is for benchmark databases.
"""

import json
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model

FLUSH_ROWS = 20_000


@dataclass
class TableStats:
    rows: int = 0
    load_seconds: float = 0.0
    index_seconds: float = 0.0


@dataclass
class Table:
    """A model and the attribute names (`village_id`, not `village`) a row tuple holds.

    Columns a generator does not know about (a field added later) are filled with the field's
    default; a later required field without a default stops the run with a clear message."""

    model: type[Model]
    attnames: Sequence[str]
    extra: tuple = field(init=False)
    fields: list = field(init=False)

    def __post_init__(self):
        meta = self.model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        unknown = [name for name in self.attnames if name not in by_attname]
        if unknown:
            raise ValueError(f"{meta.label} has no column(s) {unknown}")
        self.fields = [by_attname[name] for name in self.attnames]
        missing = [f for f in meta.concrete_fields if f.attname not in self.attnames]
        # What the ORM would insert for a field left out: its default, NULL, or "" for a blank
        # text field.
        required = [
            f.name
            for f in missing
            if not (f.has_default() or f.null or (f.blank and f.empty_strings_allowed))
        ]
        if required:
            raise ValueError(
                f"{meta.label} gained required field(s) {required}: teach portal.synthetic "
                "to fill them"
            )
        self.fields += missing
        self.extra = tuple(
            json.dumps(f.get_default()) if f.get_internal_type() == "JSONField" else f.get_default()
            for f in missing
        )

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]


class Loader:
    """Buffers rows per table and writes them in batches; subclasses say how."""

    def __init__(self, tables: dict[str, Table]):
        self.tables = tables
        self.buffers: dict[str, list[tuple]] = {key: [] for key in tables}
        self.stats: dict[str, TableStats] = {key: TableStats() for key in tables}
        self.load_seconds = 0.0  # all tables: the generator subtracts it from its own time

    def add(self, key: str, row: tuple) -> None:
        buffer = self.buffers[key]
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self.flush(key)

    def flush(self, key: str) -> None:
        rows = self.buffers[key]
        if not rows:
            return
        self.buffers[key] = []
        started = time.perf_counter()
        self.write(self.tables[key], rows)
        stats = self.stats[key]
        elapsed = time.perf_counter() - started
        stats.rows += len(rows)
        stats.load_seconds += elapsed
        self.load_seconds += elapsed

    def flush_all(self) -> None:
        for key in self.tables:
            self.flush(key)

    def start(self) -> None:
        pass

    def finish(self) -> None:
        self.flush_all()

    def abort(self) -> None:
        """The generator failed: stop writing (the transaction then rolls back)."""

    def write(self, table: Table, rows: list[tuple]) -> None:
        raise NotImplementedError


class InsertLoader(Loader):
    """Batched INSERTs through Django's cursor (SQLite, or any other backend): slower than
    COPY, meant for the small scales. Values go through each field's `get_db_prep_save`, so
    dates, times and JSON are stored exactly as the ORM would store them (`bulk_create` would
    also run `pre_save`, which overwrites `auto_now` columns with the wall clock and breaks
    determinism)."""

    BATCH = 500

    def write(self, table: Table, rows: list[tuple]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        placeholders = ", ".join(["%s"] * len(table.fields))
        # Names come from the models' meta, quoted; values are parameters.
        sql = f"INSERT INTO {quote(table.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        preps = [_preparer(f) for f in table.fields]
        extra = table.extra
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.BATCH):
                batch = [
                    [prep(value) for prep, value in zip(preps, row + extra, strict=True)]
                    for row in rows[start : start + self.BATCH]
                ]
                cursor.executemany(sql, batch)


def _preparer(model_field):
    # Rows carry JSON already serialised (COPY wants text): stored as is, like plain values.
    if model_field.get_internal_type() in ("DateTimeField", "DateField", "TimeField"):
        return lambda value: model_field.get_db_prep_save(value, connection)
    return lambda value: value


class CopyLoader(Loader):
    """COPY … FROM STDIN through psycopg 3, from a writer thread on the same connection (so in
    the same transaction): while PostgreSQL parses one batch on the other core, the
    generator builds the next instead of waiting. The generating thread does not touch the
    database between the first flush and `finish`."""

    QUEUED_BATCHES = 4  # bounds the memory held by batches waiting for the writer

    def __init__(self, tables: dict[str, Table], *, bulk: bool):
        super().__init__(tables)
        self.bulk = bulk
        self.dropped: list[tuple[str, str, str]] = []  # (table key, kind, SQL to re-create)
        self.queue: queue.Queue = queue.Queue(maxsize=self.QUEUED_BATCHES)
        self.writer: threading.Thread | None = None
        self.error: BaseException | None = None

    def flush(self, key: str) -> None:
        rows = self.buffers[key]
        if not rows:
            return
        self.buffers[key] = []
        self._raise_writer_error()
        if self.writer is None:
            self.writer = threading.Thread(
                target=self._write_batches, args=(connection.connection,), daemon=True
            )
            self.writer.start()
        started = time.perf_counter()
        self.queue.put((key, rows))  # waits while the writer is behind
        self.load_seconds += time.perf_counter() - started

    def _write_batches(self, raw) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain, so the generator never blocks on a dead writer
            key, rows = item
            try:
                started = time.perf_counter()
                self._copy(raw, self.tables[key], rows)
                self.stats[key].rows += len(rows)
                self.stats[key].load_seconds += time.perf_counter() - started
            except BaseException as error:  # handed to the generating thread
                self.error = error

    def _stop_writer(self) -> None:
        if self.writer is not None:
            self.queue.put(None)
            self.writer.join()
            self.writer = None

    def abort(self) -> None:
        self._stop_writer()

    def _raise_writer_error(self) -> None:
        if self.error is not None:
            # As Django's own cursor would: psycopg's errors become django.db's.
            with connection.wrap_database_errors:
                raise self.error

    def start(self) -> None:
        with connection.cursor() as cursor:
            # Index builds at the end sort millions of keys: give them memory for this
            # transaction only.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            if self.bulk:
                # ALTER TABLE refuses while deferred foreign-key checks are pending (after a
                # --replace's DELETEs): run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for key, table in self.tables.items():
                    self._drop_secondary(cursor, key, table.db_table)

    @staticmethod
    def _copy(raw, table: Table, rows: list[tuple]) -> None:
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        sql = f"COPY {connection.ops.quote_name(table.db_table)} ({columns}) FROM STDIN"
        extra = table.extra
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            if extra:
                for row in rows:
                    copy.write_row(row + extra)
            else:
                for row in rows:
                    copy.write_row(row)

    def finish(self) -> None:
        self.flush_all()
        self._stop_writer()
        self._raise_writer_error()
        with connection.cursor() as cursor:
            # Indexes first (unique ones included), then the foreign keys that use them.
            for kind in ("index", "constraint"):
                for key, dropped_kind, sql in self.dropped:
                    if dropped_kind != kind:
                        continue
                    started = time.perf_counter()
                    cursor.execute(sql)
                    self.stats[key].index_seconds += time.perf_counter() - started
            for table in self.tables.values():
                # The rows carried their own ids: move the sequence past them.
                quoted = connection.ops.quote_name(table.db_table)
                sql = (
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(MAX(id), 1), "  # noqa: S608
                    f"MAX(id) IS NOT NULL) FROM {quoted}"
                )
                cursor.execute(sql, [table.db_table])

    def _drop_secondary(self, cursor, key: str, db_table: str) -> None:
        quoted = connection.ops.quote_name(db_table)
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [db_table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(
                f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
            )
            self.dropped.append(
                (
                    key,
                    "constraint",
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}",
                )
            )
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [db_table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            self.dropped.append((key, "index", definition))
