"""The words of a pack that pages translate, as a catalogue input for `makemessages`.

Pages translate the pack's words at render time (gettext on the fact labels, choice words, form
sections and questions, sandbox parameter names, compute unit names, the rules' sentences, material names, the
city's checklist and the scoring sheets). `makemessages` only reads source files, so the
shipped pack's words are written, generated, to `packs/<pack>.messages.py` beside it: calls of
gettext_noop that xgettext extracts like any other message. Regenerate after editing the pack:

    python -m duixian.policy.messages            # rewrites the shipped pack's messages file

A test fails when the file and the pack disagree. Imports no Django (the file it writes does).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .pack import DEFAULT_PACK_PATH, Pack, load_pack


def pack_messages(pack: Pack) -> list[str]:
    """Every translatable word of the pack, once, in the pack's order."""
    out: dict[str, None] = {}

    def add(*texts) -> None:
        for t in texts:
            if t:
                out.setdefault(str(t), None)

    for spec in pack.facts.all.values():
        add(spec.label, spec.help, spec.null_label, *(w for _, w in spec.choice_words), *(w for _, w in spec.options))
    for c in pack.clauses:
        add(*c.type_labels.values())
    seen = set()
    for sections in pack._forms.values():
        for sec in sections:
            if id(sec) in seen:
                continue
            seen.add(id(sec))
            add(sec.title, sec.intro)
            for q in sec.questions:
                add(q.label, *q.help, q.cite, *(w for _, w in q.choices), *q.hidden_note)
    for link in pack.registries:
        add(*(o.reason for o in link.obliges))
    for rule in pack.rules:  # the sentence of each rule's explanation (policy.display.rule_message)
        add(rule.message, rule.fail_message)
    for sentence in pack.sentences:  # the notice page's notes on its sentences (the sentences stay quoted)
        add(sentence.note, sentence.no_rule)
    # Material names, the city's checklist and the scoring sheets (shown with `|pack_text`).
    for materials in pack._materials.values():
        add(*(m.name for m in materials))
    add(*pack.delivery.items, pack.delivery.copies_text)  # the city's paper delivery (pages: |pack_text)
    for items in pack._checklist.values():
        add(*(i.text for i in items))
    for sheet in pack._scoring.values():
        add(sheet.title, sheet.source, *(w for c in sheet.criteria for w in (c.name, c.guide)),
            *(f.question for f in sheet.facts))
    for values in pack.parameters.values():
        if values and values[0].clause is not None:
            add(values[0].description, values[0].unit if values[0].unit != "ratio" else "")
    # The compute units' names (pages: 数量单位：卡时) and 元 per base unit (the 政策沙盘's reference
    # price, compute.selectors.ComputeMoney.yuan_per_base_unit).
    for unit in pack.compute_units:
        add(unit.get("name"))
        if unit.get("base") and unit.get("name"):
            add(f"元/{unit['name']}")
    return list(out)


def messages_file_text(pack: Pack, source: str) -> str:
    lines = [
        f"# Generated from {source} by `python -m duixian.policy.messages`: do not edit.",
        "# The pack's words that pages translate, for makemessages (docs/policy-pack.md).",
        "from django.utils.translation import gettext_noop",
        "",
    ]
    lines += [f"gettext_noop({json.dumps(m, ensure_ascii=False)})" for m in pack_messages(pack)]
    return "\n".join(lines) + "\n"


def messages_path(pack_path: str | Path) -> Path:
    p = Path(pack_path)
    return p.with_name(p.stem + ".messages.py")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PACK_PATH
    messages_path(path).write_text(messages_file_text(load_pack(path), path.name), encoding="utf-8")
    print(messages_path(path))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
