"""Registering an organisation and its 经办人: what the registrant sees, and nothing half-stored."""

from __future__ import annotations

import struct
import threading
import zlib

import pytest
from django.db import connection
from django.urls import reverse

from duixian.accounts.models import User
from duixian.audit.models import AuditEvent
from duixian.orgs import services
from duixian.orgs.consent import CONSENT_VERSION
from duixian.orgs.models import ConsentRecord, OrgMembership, OrgRole, OrgStatus, Organisation
from duixian.orgs.permissions import organisation_can_apply_for, organisation_can_submit
from duixian.codes.uscc import make_uscc

HEFEI_USCC = make_uscc("91340104MA2TE1230")  # 蜀山区 → 合肥市
PROVINCE_USCC = make_uscc("12340000MB0A12345")  # registered at the province
CENTRAL_USCC = make_uscc("12100000MB0A12345")  # registered centrally
BEIJING_USCC = make_uscc("91110108MA0A12345")  # 北京市海淀区
PASSWORD = "Reg#2026-strong"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Cheap password hashing: these tests create many accounts (the real hasher is slow on purpose)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def tiny_pdf(text: str = "Authorisation letter") -> bytes:
    """A small valid one-page PDF (Chromium renders it)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def form_data(**overrides) -> dict:
    data = {
        "uscc": HEFEI_USCC, "name": "合肥新锐智能科技有限公司", "kind": "enterprise", "city_code": "",
        "address": "合肥市蜀山区望江西路 800 号", "legal_representative": "周立", "contact_phone": "0551-62999803",
        "username": "xinrui_jbr", "full_name": "刘敏", "phone": "13155113928",
        "password1": PASSWORD, "password2": PASSWORD, "consent": "on", "consent_version": CONSENT_VERSION,
        # asked since issue 17 item 7 (what 免申即享 reads); None in overrides leaves a field out
        "independent_legal_person": "true", "agi_enterprise": "true",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def registration(**overrides) -> services.Registration:
    values = dict(uscc=HEFEI_USCC, name="合肥新锐智能科技有限公司", kind="enterprise", city_code="",
                  address="合肥市", legal_representative="周立", contact_phone="0551-62999803",
                  username="xinrui_jbr", full_name="刘敏", phone="13155113928", password=PASSWORD,
                  consent_version=CONSENT_VERSION)
    values.update(overrides)
    return services.Registration(**values)


def register(client, **overrides):
    return client.post(reverse("orgs:register"), form_data(**overrides))


def nothing_stored():
    assert Organisation.objects.count() == 0
    assert User.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert OrgMembership.objects.count() == 0


@pytest.mark.django_db
def test_registration_page_is_public_and_shows_the_consent(client):
    page = client.get(reverse("orgs:register"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "个人信息处理告知书" in text and "个人信息保护法" in text
    assert "统一社会信用代码" in text


@pytest.mark.django_db
def test_registration_creates_organisation_manager_and_consent_and_signs_in(client):
    response = register(client)
    assert response.status_code == 302 and response.url == reverse("orgs:mine")
    org = Organisation.objects.get()
    assert (org.uscc, org.region_code, org.city_code, org.in_anhui) == (HEFEI_USCC, "340104", "340100", True)
    assert org.status == OrgStatus.PENDING and not org.city_chosen
    assert org.contact_phone == "0551-62999803"
    user = User.objects.get(username="xinrui_jbr")
    assert user.organisation == org and user.role == "applicant" and user.check_password(PASSWORD)
    assert user.membership.role == OrgRole.MANAGER
    consent = ConsentRecord.objects.get(user=user)
    assert consent.version == CONSENT_VERSION and consent.purpose == "registration" and len(consent.text_sha256) == 64
    assert AuditEvent.objects.filter(action="org.register", object_id=str(org.pk)).exists()
    page = client.get(reverse("orgs:mine"))
    assert page.status_code == 200
    assert "请经办人先上传加盖单位公章的授权书" in page.content.decode()


@pytest.mark.django_db
def test_without_consent_nothing_is_stored_and_the_reason_is_given(client):
    response = register(client, consent=None)
    assert response.status_code == 200
    assert "请阅读个人信息处理告知书并勾选同意" in response.content.decode()
    nothing_stored()


@pytest.mark.django_db
def test_wrong_check_character_is_explained_beside_the_field(client):
    bad = HEFEI_USCC[:17] + ("0" if HEFEI_USCC[17] != "0" else "1")
    response = register(client, uscc=bad)
    text = response.content.decode()
    assert "校验码错误" in text and 'href="#id_uscc"' in text
    nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["12345", "0551-123", "abc"])
def test_a_phone_that_is_not_a_phone_is_refused(client, phone):
    response = register(client, contact_phone=phone)
    assert 'href="#id_contact_phone"' in response.content.decode()
    nothing_stored()


@pytest.mark.django_db
def test_landline_in_brackets_is_normalised(client):
    register(client, contact_phone="（0551）62999803", phone="+86 131 5511 3928")
    org = Organisation.objects.get()
    assert org.contact_phone == "0551-62999803"
    assert User.objects.get().phone == "13155113928"


@pytest.mark.django_db
def test_password_rules_and_mismatch_are_shown(client):
    text = register(client, password1="abc", password2="abc").content.decode()
    assert 'href="#id_password1"' in text
    text = register(client, password2="Other#2026-pass").content.decode()
    assert "两次输入的密码不一致" in text
    nothing_stored()


@pytest.mark.django_db
def test_province_level_code_needs_a_chosen_city_then_is_marked_for_confirmation(client):
    text = register(client, uscc=PROVINCE_USCC, kind="research_institute").content.decode()
    assert "请选择单位所在地市" in text
    nothing_stored()
    register(client, uscc=PROVINCE_USCC, kind="research_institute", city_code="340100")
    org = Organisation.objects.get()
    assert (org.city_code, org.city_chosen, org.in_anhui) == ("340100", True, True)


@pytest.mark.django_db
def test_central_code_with_chosen_city(client):
    register(client, uscc=CENTRAL_USCC, kind="university", city_code="340100")
    org = Organisation.objects.get()
    assert (org.city_code, org.city_chosen, org.in_anhui, org.region_code) == ("340100", True, None, "100000")


@pytest.mark.django_db
def test_outside_anhui_is_recorded_and_told_it_cannot_apply(client):
    response = register(client, uscc=BEIJING_USCC, city_code="340100")
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert org.in_anhui is False and org.city_code == ""
    page = client.get(reverse("orgs:mine")).content.decode()
    assert "在安徽省外登记注册" in page
    allowed, reason = organisation_can_submit(org)
    assert not allowed and "不能申报" in reason


@pytest.mark.django_db
def test_outside_anhui_moved_in_goes_to_the_chosen_city_for_clause_four_only(client):
    register(client, uscc=BEIJING_USCC, relocated_to_anhui="on", city_code="340200")
    org = Organisation.objects.get()
    assert (org.city_code, org.clause4_only, org.city_chosen) == ("340200", True, True)
    assert organisation_can_apply_for(org, 4) == (True, "")
    assert not organisation_can_apply_for(org, 2)[0]


@pytest.mark.django_db
def test_team_without_code_registers_for_clause_four_with_its_city(client):
    text = register(client, uscc="", kind="team", name="星火参赛团队").content.decode()
    assert "请选择项目转化所在地市" in text
    nothing_stored()
    register(client, uscc="", kind="team", name="星火参赛团队", city_code="340300")
    org = Organisation.objects.get()
    assert org.uscc is None and org.clause4_only and org.city_code == "340300"
    allowed, reason = organisation_can_apply_for(org, 2)
    assert not allowed and "第四条" in reason


@pytest.mark.django_db
def test_an_enterprise_must_give_its_code(client):
    assert "请填写统一社会信用代码" in register(client, uscc="").content.decode()
    nothing_stored()


@pytest.mark.django_db
def test_second_registration_of_a_code_names_the_way_to_ask_for_access(client):
    register(client)
    client.logout()
    response = register(client, username="someone_else", name="冒名公司")
    text = response.content.decode()
    assert response.status_code == 200
    assert "已由“合肥新锐智能科技有限公司”注册" in text
    assert "经办人" in text and "合肥市科技局" in text and "0551-63538227" in text
    assert Organisation.objects.count() == 1 and not User.objects.filter(username="someone_else").exists()


@pytest.mark.django_db
def test_lower_case_code_is_the_same_code(client):
    register(client)
    client.logout()
    text = register(client, uscc=HEFEI_USCC.lower(), username="other").content.decode()
    assert "不能重复注册" in text


@pytest.mark.django_db
def test_racing_registration_losing_the_unique_constraint_gets_the_duplicate_message(monkeypatch):
    # The winner registered between the loser's check and its insert: simulate by hiding it from the check.
    winner, _user = services.organisation_register(registration(username="winner"))
    real_lookup = services.organisation_by_uscc
    calls = []

    def blind_first_time(uscc):
        calls.append(uscc)
        return None if len(calls) == 1 else real_lookup(uscc)

    monkeypatch.setattr(services, "organisation_by_uscc", blind_first_time)
    with pytest.raises(services.DuplicateOrganisation) as caught:
        services.organisation_register(registration(username="loser"))
    assert caught.value.field == "uscc" and "已由“合肥新锐智能科技有限公司”注册" in caught.value.message
    assert len(calls) == 2  # the insert itself hit the unique constraint
    assert Organisation.objects.count() == 1
    assert not User.objects.filter(username="loser").exists()
    assert ConsentRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(OrgMembership.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.organisation_register(registration())
    nothing_stored()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_threads_racing_end_with_one_organisation():
    barrier = threading.Barrier(2)
    results = []

    def attempt(name):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.organisation_register(registration(username=name))
            results.append("ok")
        except services.DuplicateOrganisation as exc:
            results.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(f"racer{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Organisation.objects.count() == 1
    assert sorted(r == "ok" for r in results) == [False, True]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signed_in_user_is_not_offered_a_second_registration(client, users):
    client.force_login(users["hefei_applicant"])
    assert client.get(reverse("orgs:register")).status_code == 302


@pytest.mark.django_db
def test_the_personal_information_notice_reads_in_english_with_the_recorded_chinese_below(client):
    """The consent records the Chinese text's hash; an English reader sees its translation and,
    quoted, the Chinese text they agree to."""
    client.cookies["django_language"] = "en"
    page = client.get(reverse("orgs:register")).content.decode()
    assert "7. Contact: Artificial Intelligence Division, Provincial Department of Science and Technology" in page
    assert '<div lang="zh-Hans"><p>个人信息处理告知书' in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("orgs:register")).content.decode()
    assert '<div class="consent-text" tabindex="0"><p>个人信息处理告知书' in page and "consent-original" not in page
