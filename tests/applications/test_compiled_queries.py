"""The application, its materials and its pending press, loaded through queries compiled once
(duixian.core.compiled), are the objects the ORM gives: every page shows the same."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.applications.materials import material_store
from duixian.applications.models import Application, Material, ReceiptOutcome, SubmissionReceipt
from duixian.applications.receipts import receipt_pending
from duixian.applications.selectors import application_of, material_states
from duixian.core.compiled import CompiledQuery

from .conftest import PDF, at

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_application_of_is_the_orm_application_with_its_organisation(complete_draft, django_assert_num_queries):
    orm = Application.objects.select_related("organisation").get(pk=complete_draft.pk)
    with django_assert_num_queries(1):
        loaded = application_of(complete_draft.pk)
        organisation = loaded.organisation  # loaded with it: no second query
    assert _fields(loaded) == _fields(orm)  # dates, JSON facts, decimals converted as the ORM does
    assert _fields(organisation) == _fields(orm.organisation)
    assert not loaded._state.adding and loaded._state.db == "default"
    assert application_of(complete_draft.pk + 10_000) is None


def test_the_latest_upload_of_a_slot_is_the_one_shown(complete_draft, users):
    slot = material_states(complete_draft)[0].slot.id
    material_store(complete_draft, slot, SimpleUploadedFile("第二版.pdf", PDF), user=users["hefei_applicant"])
    shown = {s.slot.id: s.material for s in material_states(complete_draft)}
    assert shown == {s: m for s, m in ((m.slot, m) for m in complete_draft.materials.all()) if s in shown}
    assert shown[slot].original_name == "第二版.pdf"
    assert shown[slot].application is complete_draft  # no query to reach the application again


def test_the_pending_press_is_the_latest(complete_draft, users):
    assert receipt_pending(complete_draft) is None
    for token, second in (("first-press-token-000000", "58"), ("second-press-token-00000", "59")):
        SubmissionReceipt.objects.create(application=complete_draft, user=users["hefei_applicant"], token=token,
                                         received_at=at(f"2026-05-05 23:58:{second}"),
                                         expected_state=complete_draft.state, declaration=True)
    pending = receipt_pending(complete_draft)
    assert pending == complete_draft.receipts.filter(outcome=ReceiptOutcome.PENDING).order_by(
        "-received_at", "-pk").first()
    assert pending.token == "second-press-token-00000"


def test_a_value_not_one_parameter_of_the_sql_is_refused(db):
    twice = CompiledQuery(Material, lambda pk: Material.objects.filter(pk=pk, application_id=pk), (-99,))
    inlined = CompiledQuery(Material, lambda pk: Material.objects.extra(where=[f"id = {pk}"]), (-99,))
    for query in (twice, inlined):
        with pytest.raises(ValueError):
            query.first(1)


def test_the_latest_submission_is_the_orm_one(complete_draft, users, time_machine):
    """The status and review pages judge the latest snapshot: the same fields (its verdict and
    answers as JSON, its amount as a decimal) as the ORM's, the resubmission after a return."""
    from duixian.applications.selectors import latest_submission
    from duixian.applications.services import application_submit
    from duixian.applications.models import Submission

    assert latest_submission(complete_draft) is None
    time_machine.move_to(at("2026-05-05 10:00:00"), tick=False)
    application_submit(complete_draft, user=users["hefei_applicant"], token="first-submission", declaration=True)
    Submission.objects.create(application=complete_draft, number=2, token="second-submission", answers={"a": 1},
                              verdict={"status": "eligible"}, submitted_at=at("2026-05-06 10:00:00"),
                              submitted_by=users["hefei_applicant"])
    found = latest_submission(complete_draft)
    orm = complete_draft.submissions.order_by("-number").first()
    assert found.number == 2 and _fields(found) == _fields(orm)
    assert _fields(latest_submission(Application.objects.get(pk=complete_draft.pk))) == _fields(orm)
    assert found.application is complete_draft  # no query to reach the application again
