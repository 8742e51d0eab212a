"""Audit rows are sealed by the sealing that runs after their transaction really commits (d5ebee9:
one sealing a transaction), not only under the test's captured on-commit callbacks: these tests
commit, so Django runs its hooks as in a request or the worker."""

import pytest
from django.db import transaction

from duixian.audit import services
from duixian.audit.models import AuditEvent
from duixian.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sealings(monkeypatch):
    """How many sealings ran after commits (the hook is still the one audit_record reuses)."""
    ran = []
    real = services._seal_unless_busy

    def counted():
        ran.append(1)
        real()

    monkeypatch.setattr(services, "_seal_unless_busy", counted)
    return ran


def test_ten_presses_committed_together_are_sealed_by_one_sealing(users, sealings):
    with transaction.atomic():
        rows = []
        for i in range(10):
            with transaction.atomic():  # each press in its savepoint, as the worker does
                rows.append(audit_record("test.press", user=users["province"], detail={"i": i}))
    assert len(sealings) == 1
    assert sorted(AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).values_list("seq", flat=True)) == list(range(1, 11))
    assert audit_verify() == []


def test_a_row_after_a_failed_block_without_savepoint_is_still_sealed(users, sealings):
    """The first row's hook was registered in a block without a savepoint (atomic(savepoint=False))
    inside one with a savepoint; the failure rolls the outer savepoint back and the hook with it:
    the row written afterwards must bring its own sealing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                with transaction.atomic(savepoint=False):
                    audit_record("test.lost", user=users["province"])
                    raise RuntimeError("this press's check failed")
        except RuntimeError:
            pass
        kept = audit_record("test.kept", user=users["province"])
    assert AuditEvent.objects.get(pk=kept.pk).seq == 1
    assert not AuditEvent.objects.filter(action="test.lost").exists()
    assert len(sealings) == 1


def test_rows_of_the_next_transaction_bring_their_own_sealing(users, sealings):
    """Nothing of a committed transaction's hooks is left for the next one to reuse."""
    with transaction.atomic():
        first = audit_record("test.first", user=users["province"])
    with transaction.atomic():
        second = audit_record("test.second", user=users["province"])
    assert len(sealings) == 2
    assert [AuditEvent.objects.get(pk=e.pk).seq for e in (first, second)] == [1, 2]
    assert audit_verify() == []
