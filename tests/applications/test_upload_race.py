"""Two uploads into the same material slot at once (a double click, two tabs, a wallet copy racing an
upload): the slot ends with one of the two files, each file on the storage has its row and each
row its file, and neither applicant gets a server error."""

import threading
import time

import pytest
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection

from duixian.applications.materials import material_store
from duixian.applications.models import Material

from .conftest import PDF, at, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes the write lock at BEGIN (IMMEDIATE)"),
]


def stored_files() -> set[str]:
    return set(default_storage.listdir("materials")[1])


def _side_by_side(*work) -> None:
    """Run each callable on its own thread (its own database connection) and wait for all."""
    threads = [threading.Thread(target=w) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_two_uploads_into_one_slot_at_once_both_succeed_and_the_later_file_stays(complete_draft, users):
    user = users["hefei_applicant"]
    first_in = threading.Event()
    results: dict[str, object] = {}

    def first_audit(material):
        first_in.set()
        time.sleep(0.8)  # still uncommitted while the second upload clears the slot

    def run(name, audit, wait_for=None):
        try:
            if wait_for is not None:
                wait_for.wait(10)
            results[name] = material_store(complete_draft, "ip_proof", upload(f"{name}.pdf", PDF + name.encode()),
                                           user=user, audit=audit)
        except Exception as exc:  # noqa: BLE001 - the assertion names it
            results[name] = exc
        finally:
            close_old_connections()
            connection.close()

    _side_by_side(lambda: run("first", first_audit), lambda: run("second", None, first_in))
    assert all(isinstance(r, Material) for r in results.values()), results
    rows = list(Material.objects.filter(application=complete_draft, slot="ip_proof"))
    assert [m.original_name for m in rows] == ["second.pdf"]
    # every row has its file, and no file is left without its row
    assert stored_files() == set(Material.objects.values_list("stored_name", flat=True))


def test_a_wallet_copy_racing_an_upload_into_the_same_slot_both_succeed(users, time_machine):
    from tests.wallet.test_wallet import _add, _draft

    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    from duixian.wallet.services import wallet_attach

    user = users["hefei_applicant"]
    app = _draft(user, "医院影像辅助诊断大模型应用")
    licence = _add(user)
    first_in = threading.Event()
    results: dict[str, object] = {}

    def slow_audit(material):
        first_in.set()
        time.sleep(0.8)

    def run(name, work):
        try:
            results[name] = work()
        except Exception as exc:  # noqa: BLE001 - the assertion names it
            results[name] = exc
        finally:
            connection.close()

    _side_by_side(
        lambda: run("upload", lambda: material_store(
            app, "business_licence", upload("upload.pdf", PDF + b"upload"), user=user, audit=slow_audit)),
        lambda: run("wallet", lambda: first_in.wait(10) and wallet_attach(app, "business_licence", licence, user=user)))
    assert all(isinstance(r, Material) for r in results.values()), results
    rows = list(Material.objects.filter(application=app, slot="business_licence"))
    assert [m.wallet_document_id for m in rows] == [licence.pk]
    assert stored_files() == set(Material.objects.values_list("stored_name", flat=True))
