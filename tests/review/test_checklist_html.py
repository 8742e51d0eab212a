"""The review page's checklist rows and 退回补正 fields, written by review.checklist_html, are the
bytes the template's loops write (issue 22), in Chinese and English, whatever the rows hold."""

import pytest

from duixian.applications.models import Submission
from duixian.core.forms_renderer import Renderer
from duixian.review import checklist_html, views

from .conftest import signin

pytestmark = pytest.mark.django_db

HOSTILE = "<script>\"'&"


@pytest.fixture
def written(monkeypatch):
    """Counts the rows the writer wrote (None: it stepped aside)."""
    calls = []
    real = checklist_html.checklist_body

    def spy(form, pack):
        body = real(form, pack)
        calls.append(body)
        return body

    monkeypatch.setattr(views, "checklist_body", spy)
    return calls


def _both_ways(client, monkeypatch, path: str) -> tuple[str, str]:
    client.get(path)  # the message of the last save, shown once
    fast = client.get(path).content.decode()
    with monkeypatch.context() as m:
        m.setattr(views, "checklist_body", lambda form, pack: None)
        m.setattr(views, "_kept_checklist", lambda rows, pack: None)  # the kept rows too: the loop writes them
        m.setattr(views, "return_fields_body", lambda form: None)
        slow = client.get(path).content.decode()
    return fast, slow


def _masked(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_written_rows_are_the_templates(client, settings, users, submitted, time_machine, monkeypatch, written,
                                            language):
    from .conftest import at

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    path = f"/review/{submitted.pk}/"
    fast, slow = _both_ways(client, monkeypatch, path)
    assert written[-1] and _masked(fast) == _masked(slow)
    # every result, notes with HTML and a line break, and the system's fail and unknown
    assert client.post(f"/review/{submitted.pk}/checklist/", {
        "cl-result_scene": "pass", "cl-note_scene": f"现场{HOSTILE}\n一致",
        "cl-result_purchase": "correct", "cl-note_purchase": f"请补充{HOSTILE}发票",
        "cl-result_amount": "fail", "cl-note_amount": "金额 & 上限",
        "cl-result_owner": "", "cl-note_owner": "只写了说明",
    }).status_code == 302
    snapshot = Submission.objects.get(application=submitted)
    rules = snapshot.verdict["rules"]
    rules[0]["outcome"], rules[1]["outcome"] = "fail", "unknown"
    snapshot.save()
    fast, slow = _both_ways(client, monkeypatch, path)
    assert written[-1] and _masked(fast) == _masked(slow)
    assert "&lt;script&gt;&quot;&#x27;&amp;" in written[-1] and HOSTILE not in written[-1]
    assert 'value="correct" id="id_cl-result_purchase_3" checked>' in written[-1]
    assert f"请补充&lt;script&gt;&quot;&#x27;&amp;发票</textarea>" in fast.split('id="form-return"')[1]  # drafted


def test_a_refused_return_renders_its_fields_through_the_template(client, settings, users, submitted, time_machine,
                                                                monkeypatch):
    from .conftest import at

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    fields = []
    real = checklist_html.return_fields_body
    monkeypatch.setattr(views, "return_fields_body", lambda form: fields.append(real(form)) or fields[-1])
    assert fields == [] and client.get(f"/review/{submitted.pk}/").status_code == 200 and fields[-1]
    response = client.post(f"/review/{submitted.pk}/act/return/", {"ret-expected_state": "submitted",
                                                                    "ret-item_scene": "   "})
    assert response.status_code == 400 and fields[-1] is None


def test_a_refused_save_and_changed_widget_templates_render_through_the_template(
        client, users, submitted, time_machine, monkeypatch, written):
    from .conftest import at

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    response = client.post(f"/review/{submitted.pk}/checklist/", {"cl-result_scene": "maybe", "cl-note_scene": "x"})
    assert response.status_code == 400 and written[-1] is None  # the posted values and the error come back
    assert 'value="maybe"' not in response.content.decode()
    monkeypatch.setattr(Renderer, "is_stock", lambda self, name: False)
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert written[-1] is None and 'id="id_cl-result_scene_0"' in page
