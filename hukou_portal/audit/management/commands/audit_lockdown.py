"""Set the PostgreSQL grants so the application's role can only INSERT and SELECT audit events.

    python manage.py audit_lockdown --app-role hukou_app [--print]

Run it as the role that owns the tables (the one that runs ``migrate``), after every migrate.
The application then connects as ``--app-role``: full DML on the other tables of the schema,
INSERT and SELECT only on the audit trail. The owner role must not be the one the portal uses:
an owner can always grant itself back what was revoked.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from hukou_portal.audit.db_guards import TABLE


def lockdown_statements(app_role: str) -> list[sql.Composed]:
    role = sql.Identifier(app_role)
    audit = sql.Identifier(TABLE)
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(audit, role),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(audit, role),
    ]


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role INSERT and SELECT only on the audit trail."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--app-role", required=True, help="the role the portal connects as")
        parser.add_argument("--print", action="store_true", help="print the SQL instead of running it")

    def handle(self, *args, app_role: str, **options) -> None:  # type: ignore[no-untyped-def]
        if connection.vendor != "postgresql":
            raise CommandError("audit_lockdown is for PostgreSQL; SQLite has no roles (its triggers still apply).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
            if cursor.fetchone() is None:
                raise CommandError(f"Role {app_role} does not exist.")
            for statement in lockdown_statements(app_role):
                if options["print"]:
                    self.stdout.write(statement.as_string(cursor.connection) + ";")
                else:
                    cursor.execute(statement)
        if not options["print"]:
            self.stdout.write(self.style.SUCCESS(f"{app_role}: INSERT and SELECT only on {TABLE}."))
