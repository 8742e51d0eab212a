"""Text that can reach a file: no control characters in, none out.

Pasted text sometimes carries invisible control characters (a vertical tab from a word
processor, a NUL from a broken client). They cannot be stored in a .docx or .xlsx (XML 1.0
forbids them) and mean nothing to a reader, so:

- at input, every form text field refuses them with a Chinese message
  (`no_control_characters`, added to every `forms.CharField` by CoreConfig.ready());
- at output, `xml_safe()` removes them from whatever is written into a Word document (data
  stored before the rule, or arriving through another path, still exports), and
  `docx_property()` also keeps a document property within Word's 255 characters.

Tab, line feed and carriage return are ordinary text and stay.
"""

from __future__ import annotations

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except \t \n \r, DEL, C1 controls, lone surrogates, and the XML non-characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def no_control_characters(value) -> None:
    """Validator: refuse text holding control characters, saying so in Chinese."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("内容含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新输入。"),
            code="control_characters",
        )


def strip_control(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def xml_safe(value):
    """`value` with control characters removed from every string in it (str, list, tuple,
    dict, dataclass, recursively); anything else is returned as it is."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(xml_safe(item) for item in value)
    if isinstance(value, tuple):  # a named tuple
        return type(value)(*(xml_safe(item) for item in value))
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: xml_safe(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def docx_property(text: str) -> str:
    """A Word core property (title, author…): XML-safe and at most 255 characters."""
    return strip_control(str(text))[:255]
