"""The province's and the experts' writes and their audit rows commit together: when the audit row
cannot be written, no panel, conflict declaration, assignment or paper receipt is kept."""

import pytest

from duixian.decisions.models import Assignment, ConflictDeclaration, ConflictRelation, ExpertPanel, PaperReceipt
from duixian.decisions.services import assignment_create, declaration_add, panel_create, paper_receipt_record
from duixian.policy.pack import default_pack
from tests.applications.conftest import at
from tests.audit.failing import AuditDown, audit_insert_fails

pytestmark = pytest.mark.django_db


def test_a_panel_whose_audit_row_fails_is_not_kept(experts, users, monkeypatch):
    audit_insert_fails(monkeypatch, "decisions.panel_create")
    with pytest.raises(AuditDown):
        panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组", members=experts,
                     user=users["province"])
    assert not ExpertPanel.objects.exists()


def test_a_declaration_whose_audit_row_fails_is_not_kept(recommended, experts, users, monkeypatch):
    audit_insert_fails(monkeypatch, "decisions.conflict_declare")
    with pytest.raises(AuditDown):
        declaration_add(expert=experts[0], organisation=recommended[0].organisation, relation=ConflictRelation.EMPLOYER,
                        user=experts[0])
    assert not ConflictDeclaration.objects.exists()


def test_an_assignment_whose_audit_row_fails_is_not_kept(recommended, experts, panel, users, monkeypatch):
    audit_insert_fails(monkeypatch, "decisions.assign")
    with pytest.raises(AuditDown):
        assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    assert not Assignment.objects.exists()


def test_a_paper_receipt_whose_audit_row_fails_is_not_kept(users, monkeypatch, time_machine):
    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    audit_insert_fails(monkeypatch, "decisions.paper_receipt")
    with pytest.raises(AuditDown):
        paper_receipt_record(batch_id=default_pack().batch_id, city_code="340100", received_at=at("2026-05-07 16:59:59"),
                             items=["推荐函"], copies=2, user=users["province"])
    assert not PaperReceipt.objects.exists()
