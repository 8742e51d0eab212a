"""Process memos of text worked out once per language and pack (issue 22): a page's translated
words, labels and date sentences, the same for every request in that language.

Each is emptied when a setting changes (tests that override one) and when the development
server reads a changed catalogue or template again without restarting (its reloader's
file_changed), so `make run` shows new words at once.
"""

from __future__ import annotations

from threading import Lock

from django.core.signals import setting_changed


class TextMemo(dict):
    """A dict of at most `size` entries, read as a dict and written with `put`, which drops the
    oldest entries first (gthread workers write from several threads; the reloader empties it
    from its own)."""

    def __init__(self, size: int):
        super().__init__()
        self.size = max(size, 1)
        self._lock = Lock()

    def put(self, key, value):
        with self._lock:
            while len(self) >= self.size:
                self.pop(next(iter(self)))
            self[key] = value
        return value

    def forget(self) -> None:
        with self._lock:
            self.clear()


_memos: list[TextMemo] = []


def text_memo(size: int) -> TextMemo:
    """A new memo of at most `size` entries, forgotten together with the others."""
    memo = TextMemo(size)
    _memos.append(memo)
    return memo


def forget_all(**_kwargs) -> None:
    """Returns None: the reloader still restarts the server for a changed .py file."""
    for memo in _memos:
        memo.forget()


setting_changed.connect(forget_all, dispatch_uid="duixian.core.memos.forget_all")

try:  # the development server's reloader
    from django.utils.autoreload import file_changed

    file_changed.connect(forget_all, dispatch_uid="duixian.core.memos.forget_all")
except ImportError:  # pragma: no cover
    pass
