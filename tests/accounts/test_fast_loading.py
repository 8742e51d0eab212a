"""Every signed-in request loads its session and its user with one hand-written SELECT each
(issue 10): the same session and the same user as Django's ORM would load, at a fraction of the CPU."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.urls import path
from django_otp.plugins.otp_totp.models import TOTPDevice

from duixian.accounts.backends import AccountBackend
from duixian.accounts.models import User
from duixian.accounts.sessions import SessionStore
from duixian.orgs.models import OrgMembership, OrgRole
from duixian.urls import urlpatterns as platform

pytestmark = pytest.mark.django_db


def signed_in_page(request):
    """What nearly every page asks about the user, and nothing else."""
    user = request.user
    organisation = user.membership.organisation_id if hasattr(user, "membership") else None
    return HttpResponse(f"{user.pk} {organisation} {user.totp_enrolled}", content_type="text/plain")


urlpatterns = [path("signed-in", signed_in_page), *platform]


def orm_user(pk):
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return User._default_manager.select_related("membership").annotate(totp_enrolled=Exists(enrolled)).get(pk=pk)


def assert_same_instance(loaded, expected):
    assert type(loaded) is type(expected)
    for field in type(expected)._meta.concrete_fields:
        mine, theirs = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert (mine, type(mine)) == (theirs, type(theirs)), field.name
    assert (loaded._state.db, loaded._state.adding) == (expected._state.db, expected._state.adding)


@pytest.fixture
def applicant(users, hefei_org, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    user = users["hefei_applicant"]
    user.last_login = user.date_joined + timedelta(minutes=5)
    user.save()
    return user


@pytest.mark.parametrize("device", [None, "confirmed", "unconfirmed"])
@pytest.mark.parametrize("with_membership", [True, False])
def test_the_user_is_the_one_the_orm_loads(
        applicant, users, hefei_org, device, with_membership, django_assert_num_queries):
    if with_membership:
        OrgMembership.objects.create(user=applicant, organisation=hefei_org, role=OrgRole.MANAGER,
                                     invited_by=users["province"])
    if device:
        TOTPDevice.objects.create(user=applicant, name="手机", confirmed=device == "confirmed")
    expected = orm_user(applicant.pk)

    with django_assert_num_queries(1):
        loaded = AccountBackend().get_user(str(applicant.pk))  # the session holds the pk as text
        assert loaded.totp_enrolled is (device == "confirmed")
        if with_membership:
            assert_same_instance(loaded.membership, expected.membership)
            assert loaded.membership.user is loaded
        else:
            with pytest.raises(User.membership.RelatedObjectDoesNotExist):
                loaded.membership  # noqa: B018
    assert_same_instance(loaded, expected)
    assert loaded.totp_enrolled is expected.totp_enrolled


def test_a_missing_or_inactive_user_is_not_loaded(applicant):
    assert AccountBackend().get_user(applicant.pk + 1000) is None
    applicant.is_active = False
    applicant.save()
    assert AccountBackend().get_user(applicant.pk) is None


def test_an_inactive_user_is_signed_out(client, applicant):
    client.force_login(applicant)
    User.objects.filter(pk=applicant.pk).update(is_active=False)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def make_session(**data):
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_a_session_loads_until_its_expiry_second_and_not_at_it(time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    key = make_session(answer=42)
    expiry = Session.objects.get(session_key=key).expire_date

    time_machine.move_to(expiry - timedelta(seconds=1), tick=False)
    assert SessionStore(key).load() == {"answer": 42}

    time_machine.move_to(expiry, tick=False)
    for engine in (SessionStore, django_db_sessions.SessionStore):  # Django's says the same
        store = engine(key)
        assert (store.load(), store.session_key) == ({}, None)


def test_a_missing_session_is_empty_and_forgets_its_key():
    store = SessionStore("x" * 32)
    assert (store.load(), store.session_key) == ({}, None)


def test_tampered_session_data_is_an_empty_session_as_with_django(caplog):
    key = make_session(answer=42)
    Session.objects.filter(session_key=key).update(session_data="forged:data")
    for engine in (SessionStore, django_db_sessions.SessionStore):
        store = engine(key)
        assert (store.load(), store.session_key) == ({}, key)
    assert [r.getMessage() for r in caplog.records if r.name == "django.security.SuspiciousSession"] == [
        "Session data corrupted"] * 2


def test_a_signed_in_page_costs_one_query_for_the_session_and_one_for_the_user(
        client, applicant, hefei_org, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = __name__
    OrgMembership.objects.create(user=applicant, organisation=hefei_org, role=OrgRole.MANAGER)
    client.force_login(applicant)
    assert client.get("/signed-in").status_code == 200  # the first page notes the session's refresh
    with django_assert_num_queries(2):
        response = client.get("/signed-in")
    assert response.content.decode() == f"{applicant.pk} {hefei_org.pk} False"


def test_signing_out_ends_the_session(client, applicant):
    client.force_login(applicant)
    key = client.session.session_key
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()

    client.cookies["sessionid"] = key  # the old cookie, replayed
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in SessionStore(key).load()
