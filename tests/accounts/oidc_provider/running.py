"""Start and stop the test identity provider process (see serve.py) from a test fixture."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "duixian-test"
CLIENT_SECRET = "duixian-test-secret-0123456789"


@contextmanager
def identity_provider(people: dict, *, platform_url: str, timeout: float = 60.0):
    """Yield the issuer URL of a provider that knows `people` and the platform at `platform_url`."""
    folder = Path(tempfile.mkdtemp(prefix="duixian-idp-"))
    (folder / "people.json").write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "IDP_DIR": str(folder), "IDP_PEOPLE": str(folder / "people.json"),
           "IDP_CLIENT_ID": CLIENT_ID, "IDP_CLIENT_SECRET": CLIENT_SECRET,
           "IDP_REDIRECT_URIS": f"{platform_url}/accounts/oidc/callback/",
           "IDP_POST_LOGOUT_URIS": f"{platform_url}/"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "tests.accounts.oidc_provider.serve"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    try:
        if not ready or not ready[0].startswith("READY "):
            process.kill()
            raise RuntimeError(f"the test identity provider did not start: {process.stderr.read()[-2000:]}")
        yield ready[0].split()[1]
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
