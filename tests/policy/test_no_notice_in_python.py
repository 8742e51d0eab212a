"""Python holds the engine and the platform, never a clause (issue 18): a notice's clause numbers
and words live in its pack. This reads every Python file of the platform, outside demo data and
migrations, and names each line that still speaks of a clause by its number.

Excluded on purpose:
- `*/demo/`, `*/demo*.py`: demo data written for the shipped 2026 notice;
- `migrations/`: history, never edited;
- `duixian/policy/packs/`: the packs themselves and the messages file generated from a pack for
  `makemessages` (data in Python syntax, rewritten by `python -m duixian.policy.messages` and kept
  equal to the pack by tests/policy/test_pack_messages.py; docs/policy-pack.md, 翻译).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "duixian"
# 第二条, 第3条, 第二十一条: a clause (or an article of a law) by its number.
CLAUSE_NUMBER = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")
# A clause compared with a number: `clause == "2"`, `clause != 4`, `clause in ("2", "5")`.
CLAUSE_TEST = re.compile(r"\bclause\w*\s*(?:==|!=|\bin\b)\s*[\(\[\{]?\s*['\"]?[0-9]")
# A place in the notice in its own numbering: 六、（三）, 五（一）4, 二、（二）1. In a comment or a
# docstring it documents where the code's idea comes from; in a string it reaches a user, and a
# user's citation comes from the pack (Pack.cite, a sentence's `ref`).
NOTICE_PLACE = re.compile(r"[一二三四五六七八九十]+、?（[一二三四五六七八九十]+）[0-9]*")
# A comment inside SQL a string carries (`-- 三（一）4 …`) is a comment, not words for a user.
SQL_COMMENT = re.compile(r"--[^\n]*")


def platform_files():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        parts = rel.split("/")
        if "migrations" in parts or "demo" in parts or parts[-1].startswith("demo"):
            continue
        if rel.startswith("policy/packs/"):
            continue
        yield rel, path


def offending_lines(pattern):
    out = []
    for rel, path in platform_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                out.append(f"duixian/{rel}:{n}: {line.strip()}")
    return out


def test_the_walk_sees_the_platform_and_skips_data():
    files = dict(platform_files())
    assert "registries/matching.py" in files and "policy/engine.py" in files
    assert not any(rel.startswith("policy/packs/") or "/migrations/" in rel for rel in files)


def test_no_clause_number_in_python():
    found = offending_lines(CLAUSE_NUMBER)
    assert not found, "a clause by its number belongs in the pack:\n" + "\n".join(found)


def test_no_branch_on_a_clause_number():
    found = offending_lines(CLAUSE_TEST)
    assert not found, "what a clause does comes from its pack, not a branch on its number:\n" + "\n".join(found)


def _docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def literal_offences():
    """(file, line, what) for each string literal naming a place in the notice and each
    `clause="2"`-style keyword argument, outside docstrings."""
    out = []
    for rel, path in platform_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                m = NOTICE_PLACE.search(SQL_COMMENT.sub("", node.value))
                if m:
                    out.append((rel, node.lineno, m.group()))
            elif (isinstance(node, ast.keyword) and node.arg and node.arg.startswith("clause")
                  and isinstance(node.value, ast.Constant) and re.fullmatch(r"[0-9.]+\w*", str(node.value.value))):
                out.append((rel, node.lineno, f"{node.arg}={node.value.value!r}"))
    return out


def test_the_literal_walk_finds_what_it_looks_for(tmp_path, monkeypatch):
    sample = tmp_path / "duixian" / "x"
    sample.mkdir(parents=True)
    (sample / "m.py").write_text(
        '"""六、（三）: a docstring documents."""\n'
        '# 五（一）4 in a comment documents\n'
        'A = f"逾期（六、（四））{1}"\n'
        'B = "-- 三（一）2 a SQL comment\\nSELECT 1"\n'
        'make(clause="2", name="二")\n'
        'make(clause=app.clause)\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path / "duixian")  # platform_files walks ROOT
    assert literal_offences() == [("x/m.py", 3, "六、（四）"), ("x/m.py", 5, "clause='2'")]


def test_no_notice_citation_or_clause_literal_in_python_strings():
    found = [f"duixian/{rel}:{n}: {what}" for rel, n, what in literal_offences()]
    assert not found, ("what reaches a user cites the pack (Pack.cite), and a clause comes from the pack, "
                       "not a literal:\n" + "\n".join(found))

