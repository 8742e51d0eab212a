import pytest

from duixian.applications.models import Application, ApplicationState
from duixian.demo.loader import load_demo
from duixian.review.selectors import recommended_by_city

pytestmark = pytest.mark.django_db


def test_demo_has_recommended_applications_in_hefei_and_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    recommended = list(recommended_by_city("340100"))
    assert len(recommended) >= 2
    assert all(a.reference.startswith("DX2026-340100-") and a.amount_requested_wan for a in recommended)
    assert Application.objects.filter(state=ApplicationState.SUBMITTED, city_code="340100").exists()
    first = recommended[0]
    assert [h.action for h in first.history.all()] == ["submit", "recommend"]
    count = Application.objects.count()
    load_demo()
    assert Application.objects.count() == count
