"""Attaching a wallet document and its audit row commit together: when the audit row cannot be
written, the slot keeps its earlier file and no copy is left in the storage."""

import pytest
from django.core.files.storage import default_storage

from duixian.applications.models import Material
from duixian.audit.models import AuditEvent
from duixian.wallet.services import wallet_attach

from .test_wallet import _add, _draft, moment  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


class AuditDown(RuntimeError):
    pass


def test_an_attach_whose_audit_row_fails_is_not_kept(users, moment, monkeypatch):  # noqa: F811
    applicant = users["hefei_applicant"]
    app = _draft(applicant, "医院影像辅助诊断大模型应用")
    licence = _add(applicant)
    before_rows = {(m.slot, m.stored_name) for m in Material.objects.filter(application=app)}
    before_files = set(default_storage.listdir("materials")[1])
    real = AuditEvent.save

    def save(event, *args, **kwargs):
        if event.action == "wallet.attach":
            raise AuditDown("cannot write wallet.attach")
        return real(event, *args, **kwargs)

    monkeypatch.setattr(AuditEvent, "save", save)
    with pytest.raises(AuditDown):
        wallet_attach(app, "business_licence", licence, user=applicant)
    assert {(m.slot, m.stored_name) for m in Material.objects.filter(application=app)} == before_rows
    assert not Material.objects.filter(wallet_document=licence).exists()
    assert set(default_storage.listdir("materials")[1]) == before_files
