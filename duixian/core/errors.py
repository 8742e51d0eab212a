"""The one domain error: a refusal with a Chinese message for the person who tried, the field it
concerns (if any) and a machine code (if any). See docs/decisions/0003-domain-errors.md.

Services raise a subclass of `DomainError`; pages put it on their form with `add_to_form`, the
API answers it with `refusal_response`: 422 with `{"error": <中文>, "field": <name>|null}`
(CONTRACTS §2).

Plain Python: this module imports nothing of Django at import time, so any module may raise these
errors (the Django-free `duixian subsidy compute` modules included). The
rules engine's `PolicyInputError` (duixian/policy/facts.py) has the same shape (`message`,
`field`, `as_dict()`) but does not subclass `DomainError`: the engine imports nothing of the
platform, `duixian.core` included (the `engine-pure` import contract). Both satisfy `Refusal`,
which is all `add_to_form` and `refusal_response` read.
"""

from __future__ import annotations

from typing import Any, Protocol


class Refusal(Protocol):
    """What a page or the API needs to show a refusal."""

    message: str
    field: str | None


class DomainError(Exception):
    """A refused action. `message` is shown as is (Chinese); `field` names the input at fault, in
    the service's terms (a form may name it differently: see `add_to_form`); `code` is a stable
    machine word for callers that branch on the kind of refusal."""

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field or None
        self.code = code

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        """The API's body for a refusal (status 422)."""
        return {"error": self.message, "field": self.field}


_UNSET: Any = object()


def add_to_form(form, error: Refusal, *, field: str | None = _UNSET, message: str | None = None) -> None:
    """Put `error` on a Django form: beside its field when the form has that field, else at the
    top (a non-field error, shown in the error summary).

    `field` overrides the error's own field when the form names the input differently (the
    service says `expert`, the form's one field is `member`); `message` overrides the text (the
    self-check page shows a fact's label instead of its key)."""
    name = error.field if field is _UNSET else field
    form.add_error(name if name and name in form.fields else None, message if message is not None else error.message)


def refusal_response(error: Refusal, status: int = 422):
    """The API's answer to a refusal: `{"error": <中文>, "field": <name>|null}`, UTF-8 as is."""
    from django.http import JsonResponse  # here, not at the top: the error type stays plain Python

    return JsonResponse({"error": error.message, "field": error.field}, status=status,
                        json_dumps_params={"ensure_ascii": False})
