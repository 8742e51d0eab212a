"""Bigram matching: a question finds the passages sharing enough of its words, and only those."""

from duixian.guidance.matching import Passage, best_matches, bigrams
from duixian.policy.pack import default_pack


def _notice():
    return [Passage("notice", s.text, s.ref, "") for s in default_pack().sentences]


def _refs(question):
    return [m.passage.citation for m in best_matches(question, _notice())]


def test_bigrams_of_a_question_leave_out_question_words_and_punctuation():
    assert bigrams("场景需要投入使用吗？", question=True) == {"场景", "投入", "入使", "使用"}
    assert bigrams("算力，补助") == {"算力", "补助"}  # not across the comma


def test_a_question_finds_the_notice_sentence_that_answers_it():
    assert _refs("场景需要投入使用吗？")[0] == "二、（一）"
    assert _refs("算力补助量怎么计算")[0] == "三、（一）4"
    assert "四、3" in _refs("工商税务登记和统计关系迁移到安徽")


def test_a_question_the_notice_does_not_answer_finds_nothing():
    assert _refs("火星移民签证怎么办理") == []
    assert _refs("什么？") == []  # nothing left once the question words are gone


def test_the_best_match_comes_first_and_every_match_is_a_given_passage():
    passages = [Passage("faq", "申报材料需加盖公章，一式两份。", "常见问题：盖章", ""),
                Passage("faq", "公章", "常见问题：短", "")]
    matches = best_matches("材料要加盖公章吗", passages)
    assert [m.passage for m in matches] == [passages[0]]
