"""Which passages answer a question: character-bigram overlap, for Chinese text.

Chinese has no spaces between words, and a two-character window catches most words (场景,
投入, 算力, 补助). A passage matches when it shares at least MIN_SHARED of the question's
bigrams and they are at least MIN_COVERAGE of them; passages are ranked by that share, then by
how many they share. Question words (什么, 怎么, 是否, …) are dropped first, so "需要什么材料"
is not matched on 需要 alone. Plain Python: no Django, no index, no model; it only ranks the
passages it is given, and what it returns is always one of them, quoted whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUESTION_WORDS = ("请问", "什么", "怎么", "怎样", "如何", "是否", "可以", "可不可以", "能不能", "能否", "有没有",
                  "哪些", "哪个", "多少", "为什么", "我们", "我的", "本单位", "需要", "的话", "吗", "呢", "吧")
MIN_SHARED = 2
MIN_COVERAGE = 0.25
_RUNS = re.compile(r"[0-9a-z\u3400-\u9fff]+")


def bigrams(text: str, *, question: bool = False) -> set[str]:
    text = (text or "").lower()
    if question:
        for word in sorted(QUESTION_WORDS, key=len, reverse=True):
            text = text.replace(word, " ")
    grams: set[str] = set()
    for run in _RUNS.findall(text):
        if len(run) == 1:
            continue
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams


@dataclass(frozen=True)
class Passage:
    kind: str  # notice | faq | interpretation
    text: str  # quoted as stored
    citation: str  # where it is from: 《通知》二、（一）, 常见问题：…, a clause's 解读 and its paragraph
    link: str  # the page that shows it in place


@dataclass(frozen=True)
class Match:
    passage: Passage
    coverage: float
    shared: int


def best_matches(question: str, passages, *, limit: int = 8) -> list[Match]:
    wanted = bigrams(question, question=True)
    if not wanted:
        return []
    found = []
    for passage in passages:
        shared = len(wanted & bigrams(passage.text))
        coverage = shared / len(wanted)
        if shared >= MIN_SHARED and coverage >= MIN_COVERAGE:
            found.append(Match(passage, coverage, shared))
    found.sort(key=lambda m: (-m.coverage, -m.shared, len(m.passage.text)))
    return found[:limit]
