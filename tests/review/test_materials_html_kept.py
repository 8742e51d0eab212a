"""The review page's files kept per everything each shows (review.materials_html._FILES): the
same bytes as written afresh, a changed name, size, requirement, type or language at once, and a
file from the wallet never kept."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from duixian.applications import policy_bridge
from duixian.applications.preview import PREVIEWABLE
from duixian.review import materials_html

from .test_materials_html import HOSTILE, _app

pytestmark = pytest.mark.django_db


def _fresh(app, materials) -> str:
    materials_html._FILES.forget()
    return str(materials_html.materials_body(app, materials, PREVIEWABLE))


def test_kept_files_are_written_files_and_follow_each_value(users, time_machine):
    app = _app(users["hefei_applicant"], "材料项目", None, time_machine)
    materials = policy_bridge.labelled_materials(app)
    assert any(m.wallet_document_id for m in materials) and len(materials) > 3
    for language in ("zh-hans", "en"):
        with translation.override(language):
            fresh = _fresh(app, materials)
            assert str(materials_html.materials_body(app, materials, PREVIEWABLE)) == fresh  # kept
            assert len(materials_html._FILES) == len([m for m in materials if m.wallet_document_id is None])
            uploaded = next(m for m in materials if m.wallet_document_id is None and m.content_type == "application/pdf")
            for name, value in (("original_name", f"改{HOSTILE}.pdf"), ("size", 123456789),
                                ("requirement_label", f"要求{HOSTILE}"), ("content_type", "image/png")):
                setattr(uploaded, name, value)
                kept = str(materials_html.materials_body(app, materials, PREVIEWABLE))
                assert kept == _fresh(app, materials), name
            assert "<script>" not in kept and "&lt;script&gt;" in kept
    with translation.override("en"):
        english = str(materials_html.materials_body(app, materials, PREVIEWABLE))
    assert english != str(materials_html.materials_body(app, materials, PREVIEWABLE))


def test_a_setting_change_forgets_the_files(users, time_machine):
    app = _app(users["hefei_applicant"], "材料项目二", None, time_machine)
    materials_html.materials_body(app, policy_bridge.labelled_materials(app), PREVIEWABLE)
    assert materials_html._FILES
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert not materials_html._FILES
