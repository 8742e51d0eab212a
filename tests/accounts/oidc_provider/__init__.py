"""A real OpenID Connect provider for the sign-in tests (issue 21): django-oauth-toolkit in OIDC mode,
run as its own Django process on 127.0.0.1 with a random port (`serve.py`), standing in for the
province's unified identity service (统一身份认证). Its people and their claims come from a JSON
file the test writes; a person signs in on its own login page, as at the real service."""
