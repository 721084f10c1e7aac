"""Database triggers that refuse changes to the audit trail, below the ORM.

PostgreSQL: UPDATE, DELETE and TRUNCATE raise. SQLite: UPDATE and DELETE abort.
``suspend`` exists for one purpose: the test suite's flush between transactional tests (it
needs the table owner on PostgreSQL, which the application's role is not; see audit_lockdown).
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE};
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE};
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRES_REMOVE = f"""
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS audit_event_append_only();
"""
SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_INSTALL)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            for statement in SQLITE_INSTALL:
                cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_REMOVE)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_REMOVE:
                cursor.execute(statement)


def suspend(connection: BaseDatabaseWrapper) -> None:
    """Let the next statements change the table (table owner only on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            for statement in SQLITE_REMOVE:
                cursor.execute(statement)
