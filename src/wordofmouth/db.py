"""Engine, session factory and the column types that keep money exact on every database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from sqlite3 import OperationalError as SQLiteOperationalError
from typing import Any

from sqlalchemy import BigInteger, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from wordofmouth.config import get_settings
from wordofmouth.i18n import gettext

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on PostgreSQL and SQLite alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(gettext("naive datetime"))
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as a scaled integer, so neither database ever sees a float."""

    impl = BigInteger
    cache_ok = True
    scale = 100
    quantum = Decimal("0.01")

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * self.scale
        if scaled != scaled.to_integral_value():
            raise ValueError(gettext("{0} has more precision than {1}").format(value, self.quantum))
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self.scale).quantize(self.quantum)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self

    class comparator_factory(TypeDecorator.Comparator):
        """Sums and differences of two amounts are amounts (not bare minor units)."""

        def _adapt_expression(self, op: Any, other_comparator: Any) -> Any:
            if op in (operators.add, operators.sub) and type(other_comparator.type) is type(
                    self.type):
                return op, self.type
            return super()._adapt_expression(op, other_comparator)


class Money(_ScaledDecimal):
    """Amount in the store currency, kept as integer minor units."""

    cache_ok = True


class Percent(_ScaledDecimal):
    """A percentage with two decimals (12.50 %), kept as integer hundredths."""

    cache_ok = True


class Quantity(_ScaledDecimal):
    """A quantity with up to three decimals (weighed goods), kept as integer thousandths."""

    cache_ok = True
    scale = 1000
    quantum = Decimal("0.001")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    settings = get_settings()
    url = url or settings.database_url
    kwargs.setdefault("pool_size", settings.db_pool_size)
    kwargs.setdefault("max_overflow", settings.db_pool_size)
    kwargs.setdefault("pool_timeout", settings.db_pool_timeout)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               **kwargs)
        _sqlite_pragmas(engine)
        return engine
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine)
    _prepare_again(engine)
    return engine


IDLE_SECONDS = 10.0


_PREPARE = "wom_prepare_threshold"


def _prepare_again(engine: Engine) -> None:
    """A connection back in the pool prepares statements again (custom_plans)."""

    @event.listens_for(engine, "checkin")
    def _restore(dbapi_conn: Any, record: Any) -> None:
        if record is not None and _PREPARE in record.info:
            dbapi_conn.prepare_threshold = record.info.pop(_PREPARE)


def _ping_when_idle(engine: Engine) -> None:
    """A connection back from the pool is pinged only if it sat there over IDLE_SECONDS
    (the database may have dropped it meanwhile): a busy till's connections go straight
    back to work, without a round trip per request. One that fails its ping is replaced."""

    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_conn: Any, record: Any) -> None:
        record.info["wom_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("wom_idle_since", None)  # None: a new connection
        if since is None or time.monotonic() - since < IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # the pool makes a new one and tries again
            raise DisconnectionError() from exc


WRITE_LOCK_SECONDS = 30.0  # as long as SQLite's own busy timeout
_HOLDS = "wom_write_lock"


class WriteTurns:
    """SQLite lets one writer at a time. Left to SQLite, the others poll the file lock and
    sleep between tries (up to 100 ms a try), so a till can wait seconds while the lock
    stands free. The process hands the turn over itself instead: a write transaction takes
    this lock before its BEGIN IMMEDIATE and gives it back at its commit or rollback, and
    the next waiter starts at once. Another process (a second server, a `wom` command) still
    queues on the file lock, as before."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def take(self, info: dict[str, Any]) -> None:
        if info.get(_HOLDS):
            return
        if not self.lock.acquire(timeout=WRITE_LOCK_SECONDS):
            raise OperationalError("BEGIN IMMEDIATE", None,
                                   SQLiteOperationalError("database is locked"))
        info[_HOLDS] = True

    def give_back(self, info: dict[str, Any]) -> None:
        if info.pop(_HOLDS, False):
            self.lock.release()


def _info(pooled: Any) -> dict[str, Any]:
    try:
        return pooled.info
    except NotImplementedError:  # the engine's first connect: outside the pool, no turn
        return {}


def _sqlite_pragmas(engine: Engine) -> None:
    turns = WriteTurns()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below control transactions
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers queue instead of
        # failing half-way with "database is locked" when the second one upgrades its lock.
        # A read-only transaction (an export streamed to a browser) takes no lock at all:
        # in WAL mode it reads its snapshot while writers go on.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN DEFERRED")
            return
        turns.take(conn.info)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turns.give_back(conn.info)
            raise

    # the turn passes on once the COMMIT or ROLLBACK has run (the engine's commit and
    # rollback events fire before it); the pool's reset of a returned connection comes
    # through do_rollback too
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_conn: Any) -> None:
        try:
            commit(dbapi_conn)
        finally:
            turns.give_back(_info(dbapi_conn))

    def do_rollback(dbapi_conn: Any) -> None:
        try:
            rollback(dbapi_conn)
        finally:
            turns.give_back(_info(dbapi_conn))

    dialect.do_commit = do_commit  # type: ignore[method-assign,assignment]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign,assignment]

    @event.listens_for(engine.pool, "checkin")
    @event.listens_for(engine.pool, "invalidate")
    def _on_return(_dbapi_conn: Any, record: Any, *_: Any) -> None:
        # a connection handed back or dropped without its commit or rollback being seen
        if record is not None:
            turns.give_back(record.info)


_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None


_KEPT = "wordofmouth.kept"


def keep_for_the_transaction(*classes: type[Any]) -> None:
    """Rows of these small classes, once loaded or written by a session, stay in its
    identity map until its transaction ends. The identity map holds rows weakly: a row
    looked up by key in one step (a customer's link, a partner's terms) and let go is
    gone by the next step that looks it up, and would be read again."""
    for cls in classes:
        if not event.contains(cls, "load", _keep_loaded):
            event.listen(cls, "load", _keep_loaded)
            event.listen(cls, "refresh", _keep_loaded)
    if not event.contains(Session, "pending_to_persistent", _keep_written):
        event.listen(Session, "pending_to_persistent", _keep_written)
        event.listen(Session, "after_transaction_end", _let_go)
    _KEPT_CLASSES.update(classes)


_KEPT_CLASSES: set[type[Any]] = set()


def _keep_loaded(target: Any, context: Any, *_: Any) -> None:
    context.session.info.setdefault(_KEPT, []).append(target)


def _keep_written(session: Session, target: Any) -> None:
    if type(target) in _KEPT_CLASSES:
        session.info.setdefault(_KEPT, []).append(target)


def _let_go(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_KEPT, None)


def configure(url: str | None = None, replica_url: str | None = None,
              **kwargs: Any) -> Engine:
    """(Re)bind the process-wide engine — and the replica's for reports, WOM_REPLICA_URL
    unless given — ; tests and the CLI call this."""
    global _engine, _factory, _replica, _reports
    for old in (_engine, _replica):
        if old is not None:
            old.dispose()
    _engine = make_engine(url, **kwargs)
    _factory = sessionmaker(bind=_engine, expire_on_commit=False, autoflush=True)
    replica = get_settings().replica_url if replica_url is None else replica_url
    _replica = make_engine(replica, **kwargs) if replica else None
    _reports = (sessionmaker(bind=_replica, expire_on_commit=False, autoflush=False)
                if _replica is not None else None)
    return _engine


_replica: Engine | None = None
_reports: sessionmaker[Session] | None = None


def reports_factory() -> sessionmaker[Session] | None:
    """Sessions on the read-only replica for reports, analysis and exports, or None when
    there is none (they read the database itself)."""
    if _factory is None:
        configure()
    return _reports


def get_engine() -> Engine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


def session_factory() -> sessionmaker[Session]:
    if _factory is None:
        configure()
    assert _factory is not None
    return _factory


@contextmanager
def transaction(make: Callable[[], Session] | None = None) -> Iterator[Session]:
    """One transaction for a request, a command or a job: commit on success, roll back on
    any error. `make` builds the session (default: the process-wide factory)."""
    session = (make or session_factory())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


READ_ONLY = "wom_read_only"


def read_only(session: Session) -> Session:
    """Make the session's next transaction a read that takes no write lock on SQLite (on
    PostgreSQL a read never blocks writers). Call it before the session's first
    statement."""
    session.connection(execution_options={READ_ONLY: True})
    return session


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def custom_plans(session: Session) -> None:
    """For reports: plan each statement for its actual values, every time. psycopg prepares
    a statement after a few runs and PostgreSQL may then switch to a generic plan that does
    not know which partner or period it is for — ten times slower on a large store. So the
    connection prepares nothing until it goes back to the pool (an unprepared statement is
    planned with its values); no round trip to the server for it."""
    if session.get_bind().dialect.name != "postgresql":
        return
    pooled = session.connection().connection
    raw = pooled.driver_connection
    if _PREPARE not in pooled.info:
        pooled.info[_PREPARE] = raw.prepare_threshold  # type: ignore[union-attr]
        raw.prepare_threshold = None  # type: ignore[union-attr]
