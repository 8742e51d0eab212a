"""Fixtures shared by the browser tests."""

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def signed_up(users, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return users
