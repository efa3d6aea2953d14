# ruff: noqa
"""On PostgreSQL a trigger refuses any UPDATE of an audit entry, and any DELETE of one
younger than the retention period (a year): not even raw SQL from the application can
rewrite the trail. Elsewhere (SQLite) the model and queryset refuse (see models.py)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TRIGGER = """
CREATE OR REPLACE FUNCTION connect_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'connect_auditentry is append-only: rows cannot be changed';
  END IF;
  IF OLD.at > now() - interval '366 days' THEN
    RAISE EXCEPTION 'connect_auditentry is append-only: rows are kept for a year';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS connect_audit_append_only ON connect_auditentry;
CREATE TRIGGER connect_audit_append_only BEFORE UPDATE OR DELETE ON connect_auditentry
  FOR EACH ROW EXECUTE FUNCTION connect_audit_append_only();
"""

UNDO = """
DROP TRIGGER IF EXISTS connect_audit_append_only ON connect_auditentry;
DROP FUNCTION IF EXISTS connect_audit_append_only();
"""


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO)


class Migration(migrations.Migration):
    dependencies = [("connect", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
