"""Password policy (等保2.0 三级 身份鉴别): at least 8 characters, three of the four character
classes (upper case, lower case, digits, symbols), and never the username inside it."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("upper", lambda c: c.isascii() and c.isupper()),
    ("lower", lambda c: c.isascii() and c.islower()),
    ("digit", lambda c: c.isascii() and c.isdigit()),
    ("symbol", lambda c: c in string.punctuation or c == " " or not c.isascii()),
)


def character_classes(password: str) -> set[str]:
    return {name for name, test in CLASSES if any(test(c) for c in password)}


class ComplexityPasswordValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(ValidationError(
                _("密码至少需要 %(n)d 个字符。") % {"n": self.min_length}, code="password_too_short"))
        if len(character_classes(password)) < self.min_classes:
            errors.append(ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                code="password_too_simple"))
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and len(username) >= 3 and username in password.lower():
            errors.append(ValidationError(_("密码不能包含用户名。"), code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _("密码至少 %(n)d 个字符，须包含大写字母、小写字母、数字、特殊符号中的至少 %(k)d 类，且不能包含用户名。") % {
            "n": self.min_length, "k": self.min_classes}
