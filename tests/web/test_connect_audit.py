"""The audit log is append-only: the application cannot change or remove its rows."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from kaleidoscope.web.connect.models import AppendOnly, AuditEntry

pytestmark = pytest.mark.django_db


def _entry() -> AuditEntry:
    return AuditEntry.objects.create(
        subject=uuid.uuid4(), area="check-ins", actor="sam", action="viewed your check-ins"
    )


def test_rows_cannot_be_changed_or_removed_through_the_orm() -> None:
    entry = _entry()
    entry.action = "nothing happened"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing happened")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.bulk_update([entry], ["action"])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "viewed your check-ins"


def test_new_rows_are_inserts_only() -> None:
    first, second = _entry(), _entry()
    assert first.pk != second.pk and AuditEntry.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_trigger_refuses_even_raw_sql() -> None:
    from django.db import DatabaseError, transaction

    entry = _entry()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE connect_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM connect_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "viewed your check-ins"
