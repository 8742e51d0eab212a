"""Seed the surge database: N confirmed applicant organisations, each with a signed-in session
and D complete drafts (clause 2, every material uploaded), the first F of them F_DRAFTS more for
the flat-out run, and the demo clock at 23:00 on the closing day (one hour before 2026-05-05
23:59). Writes sessions.json for the locust users.

The 2-hour deadline reminders are sent before the load starts, as the platform's worker sent them
at 21:59 when its clock passed that moment: with the clock set straight to 23:00 the workers
otherwise sent one to each of the ~10,000 drafts during the measured last hour (measured in
session 8: 10,735 notifications written during the mix and the flat-out phase).

    seed.py N D OUT [F F_DRAFTS]"""

import json
import os
import secrets
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.surge.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from duixian.accounts.models import User  # noqa: E402
from duixian.authz.roles import Role  # noqa: E402
from duixian.applications import policy_bridge  # noqa: E402
from duixian.applications.demo import DEMO_PDF, _SCENE  # noqa: E402
from duixian.applications.materials import material_store, storage_name  # noqa: E402
from duixian.applications.models import Application, Material  # noqa: E402
from duixian.applications.services import application_create, application_save_answers  # noqa: E402
from duixian.applications.reminders import reminders_send_due  # noqa: E402
from duixian.core.clock import SHANGHAI, set_demo_time  # noqa: E402
from duixian.orgs.models import OrgKind, OrgMembership, OrgRole, OrgStatus, Organisation  # noqa: E402

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(n: int) -> str:
    body = f"913401005{n:08d}"[:17]
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def main(n: int, drafts: int, out: Path, flat_users: int = 0, flat_drafts: int = 0) -> None:
    set_demo_time(datetime(2026, 5, 5, 23, 0, tzinfo=SHANGHAI))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS surge_bare_insert (id bigserial PRIMARY KEY, at timestamptz)")
    answers = {**_SCENE, "project.occurred_on": "2025-12-01", "scene.development_investment_wan": "120",
               "amount_requested_wan": 24, "contact_name": "张工", "contact_phone": "13155113928"}
    slots = policy_bridge.material_slots("2", "")
    sessions = []
    for i in range(n):
        with transaction.atomic():
            org = Organisation.objects.create(
                uscc=uscc(i), name=f"压测科技有限公司{i:04d}", kind=OrgKind.ENTERPRISE, region_code="340100",
                city_code="340100", in_anhui=True, status=OrgStatus.CONFIRMED, independent_legal_person=True,
                agi_enterprise=True, owns_ip=True, credit_good=True, major_violation=False)
            user = User(username=f"surge{i:04d}", role=Role.APPLICANT, organisation=org)
            user.set_unusable_password()
            user.save()
            OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.MANAGER)  # as registration does
            first = application_create(user=user, clause="2", application_type="", project_name=f"压测项目{i:04d}-0")
            first = application_save_answers(first, dict(answers), user=user)
            for slot in slots:
                material_store(first, slot.id, SimpleUploadedFile(f"{slot.name[:20]}.pdf", DEMO_PDF), user=user)
            ids = [first.pk]
            # The other drafts are copies of the first: same answers, the same material rows, each
            # pointing at its own copy of the file in the storage (bulk: thousands are needed).
            extra = drafts + (flat_drafts if i < flat_users else 0) - 1
            copies = Application.objects.bulk_create([
                Application(organisation=org, city_code=first.city_code, batch_id=first.batch_id,
                            pack_version=first.pack_version, clause="2", project_name=f"压测项目{i:04d}-{d}",
                            facts=first.facts, amount_requested_wan=first.amount_requested_wan,
                            contact_name=first.contact_name, contact_phone=first.contact_phone, created_by=user)
                for d in range(1, extra + 1)])
            originals = list(first.materials.all())
            rows = []
            for copy in copies:
                for m in originals:
                    name = default_storage.save(storage_name(secrets.token_hex(20)), ContentFile(DEMO_PDF))
                    rows.append(Material(application=copy, slot=m.slot, stored_name=name.split("/", 1)[1],
                                         original_name=m.original_name, sha256=m.sha256, size=m.size,
                                         content_type=m.content_type, uploaded_by=user))
            Material.objects.bulk_create(rows)
            ids += [c.pk for c in copies]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(6 * 3600)
        store.create()
        sessions.append({"session": store.session_key, "mix": ids[:drafts], "flat": ids[drafts:]})
    out.write_text(json.dumps(sessions))
    started = time.monotonic()
    sent = reminders_send_due()
    print(f"2-hour deadline reminders sent as at 21:59: {sent} in {time.monotonic() - started:.0f} s")
    print(f"seeded {n} applicants x {drafts} drafts (+{flat_drafts} for each of the first {flat_users}) -> {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), *(int(a) for a in sys.argv[4:6]))
