"""The subsidy engine writes its bucket labels and reasons in Chinese (CONTRACTS §3); the compute
pages show them in the page's language from the catalogue."""

from django.utils import translation

from duixian.compute.engine import BUCKET_LABELS, eligibility
from duixian.policy.display import pack_text


def test_engine_words_stay_chinese_and_pages_translate_them():
    assert BUCKET_LABELS["outside_period"] == "不在项目周期内"
    eligible, reasons = eligibility("91340100MA2RXH7Q95", None)
    assert not eligible and reasons == ["不在组织名单中（未登记的单位），不能享受补助"]
    with translation.override("en"):
        assert pack_text(BUCKET_LABELS["outside_period"]) == "Outside the project period"
        assert pack_text(reasons[0]).startswith("Not in the organisations list")
