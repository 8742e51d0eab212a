"""Run the test identity provider: `python -m tests.accounts.oidc_provider.serve`.

Environment: IDP_DIR (a folder for its database), IDP_PEOPLE (the JSON file of people:
{username: {"password": ..., "claims": {...}}}), IDP_CLIENT_ID, IDP_CLIENT_SECRET,
IDP_REDIRECT_URIS and IDP_POST_LOGOUT_URIS (space-separated). Binds 127.0.0.1 on a free port,
prints "READY <issuer>" once it serves, and serves until killed."""

import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def main() -> None:
    server = make_server("127.0.0.1", 0, lambda environ, start: [], server_class=_Server, handler_class=_QuietHandler)
    issuer = f"http://127.0.0.1:{server.server_port}/o"
    os.environ.update(IDP_ISSUER=issuer, IDP_RSA_KEY=_rsa_key(), IDP_DATABASE=str(Path(os.environ["IDP_DIR"]) / "idp.sqlite3"),
                      DJANGO_SETTINGS_MODULE="tests.accounts.oidc_provider.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from tests.accounts.oidc_provider.claims import people

    call_command("migrate", verbosity=0)
    for username, person in people().items():
        User.objects.create_user(username, password=person["password"])
    Application.objects.create(
        name="政策兑现平台", client_id=os.environ["IDP_CLIENT_ID"], client_secret=os.environ["IDP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["IDP_REDIRECT_URIS"], post_logout_redirect_uris=os.environ["IDP_POST_LOGOUT_URIS"],
        algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
    )
    server.set_app(get_wsgi_application())
    print(f"READY {issuer}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
