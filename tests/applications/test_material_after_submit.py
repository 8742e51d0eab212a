"""A file never joins an application after its submission was taken. The upload page and the
wallet's 选用 check the state when the request starts; a submit from another tab (or the worker
checking a press) can land between that check and the file's row. The row is written under the
application's lock, as the submit takes it before snapshotting the materials, so the later of the
two sees the other: an upload after the submit is refused with the state, and leaves no row and
no file behind."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from duixian.applications import materials
from duixian.applications.materials import MaterialLocked, material_store
from duixian.applications.models import Application, ApplicationState, Material
from duixian.audit.models import AuditEvent

from .conftest import PDF, at, signin, upload

pytestmark = pytest.mark.django_db


def _state_of_files(app):
    return ({(m.slot, m.stored_name) for m in Material.objects.filter(application=app)},
            set(default_storage.listdir("materials")[1]))


@pytest.mark.parametrize("state", [ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN])
def test_a_file_stored_after_the_application_left_draft_is_refused_and_leaves_nothing(complete_draft, users, state):
    stale = Application.objects.get(pk=complete_draft.pk)  # what the request read: a draft
    Application.objects.filter(pk=complete_draft.pk).update(state=state)  # then the other tab's submit
    before = _state_of_files(complete_draft)
    with pytest.raises(MaterialLocked) as refused:
        material_store(stale, "ip_proof", upload("late.pdf", PDF + b"late"), user=users["hefei_applicant"])
    assert refused.value.message == f"申报当前状态为“{ApplicationState(state).label}”，已不能修改。"
    assert _state_of_files(complete_draft) == before


def test_a_returned_application_still_takes_its_corrected_file(complete_draft, users):
    Application.objects.filter(pk=complete_draft.pk).update(state=ApplicationState.RETURNED)
    material = material_store(complete_draft, "ip_proof", upload("fixed.pdf", PDF + b"fixed"),
                              user=users["hefei_applicant"])
    assert Material.objects.get(application=complete_draft, slot="ip_proof") == material


def test_the_upload_page_says_the_application_was_submitted_meanwhile(client, complete_draft, users, monkeypatch):
    real = materials.check_material

    def submitted_meanwhile(file):  # the other tab's submit lands while this upload is checked
        Application.objects.filter(pk=complete_draft.pk).update(state=ApplicationState.SUBMITTED)
        return real(file)

    monkeypatch.setattr(materials, "check_material", submitted_meanwhile)
    signin(client, users["hefei_applicant"])
    before = _state_of_files(complete_draft)
    response = client.post(f"/applications/{complete_draft.pk}/materials/ip_proof/upload/",
                           {"file": upload("late.pdf", PDF + b"late")})
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{complete_draft.pk}/materials/")
    page = client.get(response["Location"]).content.decode()
    said = f"申报当前状态为“{ApplicationState.SUBMITTED.label}”，已不能修改。"
    assert said in page
    assert _state_of_files(complete_draft) == before
    refused = AuditEvent.objects.filter(action="material.upload", outcome="refused").get()
    assert refused.detail["error"] == said


def test_a_wallet_copy_after_the_submit_is_refused_and_leaves_nothing(users, time_machine):
    from tests.wallet.test_wallet import _add, _draft

    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    applicant = users["hefei_applicant"]
    app = _draft(applicant, "医院影像辅助诊断大模型应用")
    licence = _add(applicant)
    Application.objects.filter(pk=app.pk).update(state=ApplicationState.SUBMITTED)
    before = _state_of_files(app)
    from duixian.wallet.services import wallet_attach

    with pytest.raises(MaterialLocked):
        wallet_attach(app, "business_licence", licence, user=applicant)  # `app` still says draft
    assert _state_of_files(app) == before


def _two_connections(first, second, started: "threading.Event") -> dict:
    """Run `first` and, once it signals `started` (holding the application's lock), `second`, each
    on its own thread and database connection; what each returned or raised."""
    from django.db import close_old_connections

    from .test_upload_race import _side_by_side

    results: dict = {}

    def run(name, work, wait=None):
        try:
            if wait is not None:
                assert wait.wait(10)
            results[name] = work()
        except Exception as exc:  # noqa: BLE001 - the assertions name it
            results[name] = exc
        finally:
            close_old_connections()
            connection.close()

    _side_by_side(lambda: run("first", first), lambda: run("second", second, started))
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two connections at once: SQLite takes the write lock at BEGIN (IMMEDIATE)")
@pytest.mark.parametrize("first", ["submit", "upload"])
def test_an_upload_and_a_submit_on_two_connections_the_later_sees_the_earlier(complete_draft, users, monkeypatch, first):
    """For real, on PostgreSQL: the submit holds the application's lock while it snapshots the
    materials; an upload arriving then waits and is refused. An upload holding the lock first is
    waited for, and the submission's snapshot carries its file."""
    import threading
    import time

    from duixian.applications import services
    from duixian.applications.models import Submission
    from duixian.applications.services import application_submit

    user = users["hefei_applicant"]
    holding = threading.Event()
    real_snapshot = services.materials_snapshot

    def slow_snapshot(app, rows):  # the submit, holding the lock, before it reads what to keep
        if first == "submit":
            holding.set()
            time.sleep(0.8)
        return real_snapshot(app, rows)

    def slow_audit(material):  # the upload, holding the lock, its row written, not yet committed
        if first == "upload":
            holding.set()
            time.sleep(0.8)

    monkeypatch.setattr(services, "materials_snapshot", slow_snapshot)

    def submit():
        return application_submit(Application.objects.get(pk=complete_draft.pk), user=user, token="race-token",
                                  declaration=True)

    def store():
        return material_store(Application.objects.get(pk=complete_draft.pk), "ip_proof",
                              upload("late.pdf", PDF + b"late"), user=user, audit=slow_audit)

    results = _two_connections(*((submit, store) if first == "submit" else (store, submit)), holding)
    submitted, stored = (results["first"], results["second"]) if first == "submit" else \
        (results["second"], results["first"])
    assert isinstance(submitted, Application) and submitted.state == ApplicationState.SUBMITTED, results
    snapshot = Submission.objects.get(application=complete_draft).materials
    kept = {m["original_name"] for m in snapshot}
    if first == "submit":
        assert isinstance(stored, MaterialLocked), results
        assert "late.pdf" not in kept
    else:
        assert isinstance(stored, Material), results
        assert "late.pdf" in kept
    rows = set(Material.objects.values_list("stored_name", flat=True))
    assert rows == set(default_storage.listdir("materials")[1])  # every file has its row, every row its file
