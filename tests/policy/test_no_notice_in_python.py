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

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "duixian"
# 第二条, 第3条, 第二十一条: a clause (or an article of a law) by its number.
CLAUSE_NUMBER = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")
# A clause compared with a number: `clause == "2"`, `clause != 4`, `clause in ("2", "5")`.
CLAUSE_TEST = re.compile(r"\bclause\w*\s*(?:==|!=|\bin\b)\s*[\(\[\{]?\s*['\"]?[0-9]")


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
