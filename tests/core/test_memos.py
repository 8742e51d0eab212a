"""Words kept per language in process memos follow a catalogue the development server reads again
(issue 22 review: 退回补正's labels, the checklist's words, the deadline sentences and where an
uploaded file came from kept the old words under `make run` until a restart)."""

from pathlib import Path

from django.utils.autoreload import file_changed

from duixian.applications import views as application_views
from duixian.core import memos
from duixian.review import checklist_html, materials_html


def test_a_changed_catalogue_empties_every_text_memo():
    kept = [application_views._WINDOW_TEXTS, checklist_html._WORDS, checklist_html._FIELDS, materials_html._UPLOADED]
    for memo in kept:
        memo[("zh-hans", "sentinel")] = "旧的词"
    answers = dict(file_changed.send(sender=None, file_path=Path("duixian/locale/en/LC_MESSAGES/django.mo")))
    assert all(memo == {} for memo in kept)
    # None: the memos claim no file, so the reloader still restarts the server for a changed .py
    assert answers[memos.forget_all] is None


def test_a_changed_setting_empties_them_too(settings):
    memo = memos.text_memo(8)
    memo.put("key", "value")
    settings.LANGUAGE_CODE = "en"
    assert memo == {}


def test_a_memo_keeps_its_newest_entries_up_to_its_size():
    memo = memos.text_memo(3)
    for n in range(5):
        assert memo.put(n, f"第{n}条") == f"第{n}条"
    assert memo == {2: "第2条", 3: "第3条", 4: "第4条"}
    memos.forget_all()
    assert memo.put("again", "新") == "新" and memo == {"again": "新"}
