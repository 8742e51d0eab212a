"""A clause without a self-check says why in the page's language; the notice's words stay quoted."""

import pytest

pytestmark = pytest.mark.django_db


def test_clause_started_separately_says_why_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get("/policy/1/").content.decode()
    assert "It takes no applications in this batch and has no policy self-check." in page
    assert "不在本批次受理申报" not in page


def test_clause_granted_without_application_says_why_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get("/policy/3/").content.decode()
    assert "“granted without application”: there is nothing to apply for and no policy self-check." in page


def test_chinese_pages_say_what_the_engine_says(client):
    from duixian.policy.active import current_pack
    from duixian.policy.engine import ClauseNotOpen, evaluate

    pack = current_pack()
    for clause in (1, 3):
        with pytest.raises(ClauseNotOpen) as err:
            evaluate(pack, clause, {})
        assert err.value.message in client.get(f"/policy/{clause}/").content.decode()
