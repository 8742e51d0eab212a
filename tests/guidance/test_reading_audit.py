"""A new 解读 and its audit row commit together: when the audit row cannot be written, the
clause keeps the reading it had."""

import pytest

from duixian.guidance.models import Interpretation
from duixian.guidance.services import interpretation_save
from duixian.policy.active import current_pack
from tests.audit.failing import AuditDown, audit_insert_fails

pytestmark = pytest.mark.django_db


def test_a_reading_whose_audit_row_fails_is_not_kept(users, monkeypatch):
    audit_insert_fails(monkeypatch, "guidance.interpretation_save")
    with pytest.raises(AuditDown):
        interpretation_save(current_pack(), 2, body="本条支持的是已经建成并投入使用的场景。", user=users["province"])
    assert not Interpretation.objects.exists()
