import pytest
from django.core.management import call_command
from django.test import override_settings

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.core import clock
from duixian.demo.loader import DEMO_PASSWORD
from duixian.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_demo_data_is_idempotent_and_covers_every_role(capsys):
    call_command("demo")
    call_command("demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "hefei_clerk" in out
    assert Organisation.objects.filter(city_code="340100").exists()
    assert Organisation.objects.filter(city_code="340200").exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(role=Role.CITY_CLERK, city_code="340100").count() == 1
    assert User.objects.filter(role=Role.CITY_CLERK, city_code="340200").count() == 1
    assert User.objects.get(username="hefei_applicant").check_password(DEMO_PASSWORD)
    assert Organisation.objects.count() == 3  # a second run created nothing twice
    # The demo clock stands inside the application window.
    assert clock.now() >= clock.DEMO_START


@override_settings(DEMO_MODE=True)
def test_demo_logins_work_with_the_printed_password_and_demo_code(client, capsys):
    call_command("demo")
    response = client.post("/accounts/login/", {"username": "hefei_clerk", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    # Staff need the second factor: the code `duixian demo totp` prints.
    assert client.get("/dashboard/").status_code == 302
    capsys.readouterr()
    call_command("demo", "totp", "hefei_clerk")
    code = capsys.readouterr().out.strip().split()[-1]
    client.post("/accounts/otp/", {"token": code})
    assert client.get("/dashboard/").status_code == 200


HOTLINE = {"13023098652", "13155113928"}  # the platform's 客服 numbers, on every page's footer


@override_settings(DEMO_MODE=True)
def test_demo_organisations_are_complete_and_use_no_platform_number():
    from duixian.applications.models import Application
    from duixian.orgs.models import LetterStatus, OrgStatus

    call_command("demo")
    for org in Organisation.objects.all():
        assert org.status == OrgStatus.CONFIRMED and org.confirmed_by.role == Role.CITY_CLERK
        assert org.authority_letters.get().status == LetterStatus.CONFIRMED  # the 授权书 it was confirmed on
        assert org.address and org.legal_representative and org.contact_phone not in HOTLINE
    phones = set(Application.objects.values_list("contact_phone", flat=True))
    assert phones and not phones & HOTLINE
    assert "13705518826" in phones  # the demo applicant's own mobile, on the 汇总表 and the 公示
