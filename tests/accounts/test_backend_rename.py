"""A release that changes the authentication backend's name must not sign everyone out."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

pytestmark = pytest.mark.django_db

migration = importlib.import_module("duixian.accounts.migrations.0003_sessions_name_account_backend")


def test_a_session_signed_in_under_the_old_backend_name_stays_signed_in(client, users):
    user = users["hefei_applicant"]
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # as before this release
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    client.cookies["sessionid"] = store.session_key
    assert client.get("/dashboard/").status_code == 302  # without the rename: signed out

    migration.rename_backend(apps, connection.schema_editor())
    assert SessionStore(store.session_key).load()[BACKEND_SESSION_KEY] == "duixian.accounts.backends.AccountBackend"
    assert client.get("/dashboard/").status_code == 200
