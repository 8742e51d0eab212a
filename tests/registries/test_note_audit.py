"""An applicant's note on a registry entry and its audit row commit together: when the audit row
cannot be written, no note is kept."""

import pytest

from duixian.applications.services import application_create
from duixian.registries.models import RegistryNote
from duixian.registries.services import registry_note_add
from tests.applications.conftest import at
from tests.audit.failing import AuditDown, audit_insert_fails

pytestmark = pytest.mark.django_db


def test_a_note_whose_audit_row_fails_is_not_kept(users, monkeypatch, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="2", project_name="医院影像辅助诊断大模型应用")
    audit_insert_fails(monkeypatch, "registry.note")
    with pytest.raises(AuditDown):
        registry_note_add(app, user=user, text="该标杆场景为二期，与本项目不同。", fact="scene.prior_support")
    assert not RegistryNote.objects.exists()
