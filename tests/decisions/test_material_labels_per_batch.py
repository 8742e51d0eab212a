"""A material previewed by the clerk or an assigned expert is labelled by its application's own
batch's material list, not the default batch's."""

from __future__ import annotations

from pathlib import Path

import pytest

from duixian.applications import policy_bridge
from duixian.applications.materials import material_store
from duixian.decisions.services import assignment_create
from duixian.policy.services import pack_version_load_file
from tests.applications.conftest import ooxml, signin, upload

pytestmark = pytest.mark.django_db

SECOND = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027.yaml"


def docx_in_the_second_batch(app, user):
    """A DOCX in the application's first 2026 slot; then the application moved to the made-up
    2027 batch, whose notice asks for no such material."""
    slot = policy_bridge.material_slots(app.clause, app.application_type)[0]
    state = app.state  # a file joins only a draft: stored as one, then back to where it was
    type(app).objects.filter(pk=app.pk).update(state="draft")
    material = material_store(app, slot.id, upload("申报书.docx", ooxml("docx")), user=user)
    type(app).objects.filter(pk=app.pk).update(state=state)
    pack_version_load_file(SECOND)
    type(app).objects.filter(pk=app.pk).update(batch_id="made-up-2027", pack_version="2027.1-test")
    assert not policy_bridge.material_slots(app.clause, pack=policy_bridge.batch_pack("made-up-2027"))
    return material, slot.label


def test_the_clerk_preview_labels_a_material_by_its_batch(recommended, users, client):
    app = recommended[0]
    material, default_label = docx_in_the_second_batch(app, users["hefei_applicant"])
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/{app.pk}/materials/{material.pk}/view/").content.decode()
    assert "申报书.docx" in page and default_label not in page


def test_the_expert_preview_labels_a_material_by_its_batch(recommended, users, experts, panel, client):
    app = recommended[0]
    assignment = assignment_create(application=app, expert=experts[0], panel=panel, user=users["province"])
    material, default_label = docx_in_the_second_batch(app, users["hefei_applicant"])
    signin(client, experts[0])
    page = client.get(f"/decisions/expert/assignments/{assignment.pk}/materials/{material.pk}/preview/").content.decode()
    assert "申报书.docx" in page and default_label not in page
