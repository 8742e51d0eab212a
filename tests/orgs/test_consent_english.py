"""The English personal-information notice says what the Chinese one (the text a consent records)
says, no more and no less: an English reader agrees to the same processing."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_english_notice_states_the_chinese_limits_purposes_retention_and_rights(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("orgs:register")).content.decode()
    # 二、依法公示兑现结果: a public notice in accordance with the law, not "as the law requires"
    assert "giving public notice of redemption results in accordance with the law" in page
    # 四、保存期限: kept for the period the archive rules set, deleted or anonymised when it ends
    assert "Manner of processing and retention period" in page
    assert ("kept for the period set by the rules on the management of government information and archives, "
            "and are deleted or anonymised when it ends") in page
    # 五、为审核拨付所必需: only where necessary, and the bureaus, experts and finance departments are the recipients
    assert ("except where laws or administrative regulations so provide or where it is necessary for review and "
            "disbursement (for example, to the city science and technology bureaus, review experts and finance "
            "departments)") in page
    # 六、each right on its own: access, copy or correct; withdraw consent or close the account
    assert ("you may access, copy or correct your personal information, withdraw your consent or close your "
            "account") in page
