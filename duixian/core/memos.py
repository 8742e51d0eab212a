"""Process memos of text worked out once per language and pack (issue 22): a page's translated
words, labels and date sentences, the same for every request in that language.

Each is emptied when a setting changes (tests that override one) and when the development
server reads a changed catalogue or template again without restarting (its reloader's
file_changed), so `make run` shows new words at once.
"""

from __future__ import annotations

from django.core.signals import setting_changed

_memos: list[dict] = []


def text_memo() -> dict:
    """A new memo (a dict) that is forgotten together with the others."""
    memo: dict = {}
    _memos.append(memo)
    return memo


def forget_all(**_kwargs) -> None:
    """Returns None: the reloader still restarts the server for a changed .py file."""
    for memo in _memos:
        memo.clear()


setting_changed.connect(forget_all, dispatch_uid="duixian.core.memos.forget_all")

try:  # the development server's reloader
    from django.utils.autoreload import file_changed

    file_changed.connect(forget_all, dispatch_uid="duixian.core.memos.forget_all")
except ImportError:  # pragma: no cover
    pass
