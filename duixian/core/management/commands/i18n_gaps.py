"""`duixian i18n_gaps`: Chinese text in templates and Python that is not marked for translation.

Marked text ends up in the English catalogue (docs/i18n.md); unmarked text stays Chinese on
English pages. Not every hit is a bug: the notice's prescribed export wording (附件2 columns,
推荐函), audit details and command-line output are meant to stay Chinese. The list is for
a person to read, so the command never fails.
"""

import ast
import re
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand

PACKAGE = Path(__file__).resolve().parents[3]
HAN = re.compile(r"[\u3400-\u9fff]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
           "npgettext", "gettext_noop", "format_lazy"}
# Template text that is translated: {% translate %}, {% blocktranslate %}…{% endblocktranslate %},
# _("…") in filter arguments; comments are not shown.
TEMPLATE_MARKED = [
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{%\s*trans(?:late)?\s+(\"[^\"]*\"|'[^']*').*?%}"),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
    re.compile(r"{#.*?#}"),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
]


def python_gaps(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in GETTEXT:
                skip.update(id(sub) for arg in node.args for sub in ast.walk(arg))
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))  # docstring
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and HAN.search(node.value) and id(node) not in skip
    )


def template_gaps(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    for pattern in TEMPLATE_MARKED:
        # Keep the line count: replace each marked span by its own newlines.
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if HAN.search(line)]


class Command(BaseCommand):
    help = "列出模板和 Python 代码中未标记翻译的中文（英文界面上会仍显示中文）"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="only files under these folders of the package, e.g. orgs templates/orgs")
        parser.add_argument("--lines", action="store_true", help="print every hit, not only counts per file")

    def handle(self, *args, **options):
        roots = [PACKAGE / p for p in options["paths"]] or [PACKAGE]
        counts: Counter[str] = Counter()
        for root in roots:
            files = [root] if root.is_file() else sorted(root.rglob("*"))
            for path in files:
                if "migrations" in path.parts or "locale" in path.parts:
                    continue
                if path.suffix == ".py":
                    hits = python_gaps(path)
                elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
                    hits = template_gaps(path)
                else:
                    continue
                name = str(path.relative_to(PACKAGE))
                counts[name] += len(hits)
                if options["lines"]:
                    for line, text in hits:
                        self.stdout.write(f"{name}:{line}: {text[:100]!r}")
        for name, n in counts.most_common():
            if n:
                self.stdout.write(f"{n:5d}  {name}")
        self.stdout.write(f"{sum(counts.values())} unmarked Chinese strings in {sum(1 for n in counts.values() if n)} files")
