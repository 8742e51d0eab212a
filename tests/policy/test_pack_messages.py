"""The shipped pack's words reach the translation catalogue: packs/anhui-2026.messages.py (read by
makemessages) is generated from the pack and must say what the pack says."""

from duixian.policy.messages import messages_file_text, messages_path, pack_messages
from duixian.policy.pack import DEFAULT_PACK_PATH, default_pack


def test_the_messages_file_is_current():
    expected = messages_file_text(default_pack(), DEFAULT_PACK_PATH.name)
    assert messages_path(DEFAULT_PACK_PATH).read_text(encoding="utf-8") == expected, (
        "packs/anhui-2026.messages.py is out of date: run `python -m duixian.policy.messages`")


def test_fact_labels_choices_questions_and_parameters_are_messages():
    words = set(pack_messages(default_pack()))
    assert {"场景状态", "正在建设", "场景建设状态", "规划中", "尚未迁移", "2026年度园区创建申报", "第二条 补助上限"} <= words
    assert "须在2025年8月16日至2026年4月15日期间。" in words  # help sentences one by one
