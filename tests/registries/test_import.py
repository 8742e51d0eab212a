"""Imports: all-or-nothing with every bad line named, versioned, audited; templates to download."""

import io

import pytest

from duixian.audit.models import AuditEvent
from duixian.registries.models import RegistryEntry, RegistryVersion
from duixian.registries.parsing import RegistryFileError
from duixian.registries.selectors import active_entries, latest_versions
from duixian.registries.services import registry_import, registry_version_withdraw

from .conftest import HEFEI, OTHER, csv_bytes, import_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = [HEFEI, "合肥测试科技有限公司", "医院影像辅助诊断大模型应用", "2025", "皖科产〔2025〕8号"]


def test_a_good_file_becomes_version_1_and_is_audited(users):
    version = import_rows("future_industry_benchmark", [GOOD, [OTHER, "另一家公司", "港口调度", "2024", "文件"]],
                          users["province"], fmt="xlsx")
    assert (version.number, version.rows, version.active) == (1, 2, True)
    assert list(version.entries.values_list("line", "uscc", "year")) == [(2, HEFEI, 2025), (3, OTHER, 2024)]
    event = AuditEvent.objects.filter(action="registry.import").latest("seq")
    assert event.outcome == "success" and event.detail["rows"] == 2 and event.username == "province"


def test_every_bad_line_is_reported_and_nothing_is_stored(users):
    rows = [
        GOOD,                                                                     # line 2: fine
        ["91340100MA2RXH7Q9X", "坏代码公司", "项目甲", "2025", "文件"],             # line 3: check character
        [HEFEI, "合肥测试科技有限公司", "", "2025", "文件"],                         # line 4: no project name
        [OTHER, "另一家公司", "项目乙", "二〇二五", "文件"],                          # line 5: year
        ["", "", "", "", ""],                                                     # line 6: blank, skipped
        [HEFEI, "合肥测试科技有限公司", "医院影像辅助诊断大模型应用", "2025", "又一份"],  # line 7: repeats line 2
    ]
    with pytest.raises(RegistryFileError) as caught:
        registry_import("future_industry_benchmark", "bad.csv", csv_bytes("future_industry_benchmark", rows),
                        user=users["province"])
    lines = [p.line for p in caught.value.problems]
    assert lines == [3, 4, 5, 7]
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("第3行：统一社会信用代码") and "校验" in messages[0]
    assert "“项目名称”不能为空" in messages[1]
    assert "四位年份" in messages[2]
    assert "与第2行重复" in messages[3]
    assert RegistryVersion.objects.count() == 0 and RegistryEntry.objects.count() == 0
    refused = AuditEvent.objects.filter(action="registry.import").latest("seq")
    assert refused.outcome == "refused" and refused.detail["problem_count"] == 4


def test_wrong_header_is_line_1(users):
    data = csv_bytes("serious_dishonesty", [[HEFEI, "合肥测试科技", "2025", "信用中国"]], header=["代码", "名称", "年度", "来源"])
    with pytest.raises(RegistryFileError) as caught:
        registry_import("serious_dishonesty", "x.csv", data, user=users["province"])
    assert caught.value.problems[0].line == 1 and "统一社会信用代码" in str(caught.value.problems[0])


def test_gb18030_csv_from_excel_is_read(users):
    data = csv_bytes("serious_dishonesty", [[HEFEI, "合肥测试科技", "2025", "信用中国"]], encoding="gb18030")
    assert registry_import("serious_dishonesty", "x.csv", data, user=users["province"]).rows == 1


def test_park_rows_need_the_2025_evaluation_answer_for_2024_parks(users):
    rows = [[HEFEI, "运营公司", "甲园区", "2024", "", "文件"], [OTHER, "运营公司乙", "乙园区", "2025", "", "文件"]]
    with pytest.raises(RegistryFileError) as caught:
        registry_import("approved_park", "p.csv", csv_bytes("approved_park", rows), user=users["province"])
    assert [p.line for p in caught.value.problems] == [2]


def test_versions_latest_active_is_used_earlier_ones_kept(users):
    first = import_rows("serious_dishonesty", [[HEFEI, "合肥测试科技", "2024", "信用中国"]], users["province"])
    second = import_rows("serious_dishonesty", [[OTHER, "另一家公司", "2025", "信用中国"]], users["province"])
    assert second.number == 2
    assert latest_versions()["serious_dishonesty"].pk == second.pk
    assert [e.uscc for e in active_entries()] == [OTHER]
    registry_version_withdraw(second, user=users["province"], reason="名单有误")
    assert [e.uscc for e in active_entries()] == [HEFEI]
    assert RegistryVersion.objects.filter(kind="serious_dishonesty").count() == 2
    assert AuditEvent.objects.filter(action="registry.withdraw", detail__reason="名单有误").exists()


def test_import_page_lists_every_bad_line(client, users, login):
    login(client, users["province"])
    data = csv_bytes("serious_dishonesty", [["123", "甲", "2025", "x"], [HEFEI, "乙", "", "x"]])
    upload = io.BytesIO(data)
    upload.name = "credit.csv"
    response = client.post("/registries/import/", {"kind": "serious_dishonesty", "file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "文件有 2 处错误，整个文件未导入" in text and "第2行：" in text and "第3行：" in text
    assert RegistryVersion.objects.count() == 0


def test_import_page_success_redirects_to_the_version(client, users, login):
    login(client, users["province"])
    upload = io.BytesIO(xlsx_bytes("serious_dishonesty", [[HEFEI, "合肥测试科技", 2025, "信用中国"]]))
    upload.name = "credit.xlsx"
    response = client.post("/registries/import/", {"kind": "serious_dishonesty", "file": upload}, follow=True)
    assert "已导入严重失信主体名单第1版，共 1 行" in response.content.decode()
    assert HEFEI in response.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_templates_download_with_the_kind_s_header(client, users, login, fmt):
    login(client, users["province"])
    response = client.get(f"/registries/templates/approved_park.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").splitlines()[0] == (
            "运营单位统一社会信用代码,运营单位名称,园区名称,评审通过年度,是否参加2025年度绩效评价,来源")
    else:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(response.content))
        assert [c.value for c in wb["登记册"][1]][:3] == ["运营单位统一社会信用代码", "运营单位名称", "园区名称"]
        assert wb["登记册"].max_row == 1  # the example lives on the 说明 sheet, never imported
    assert AuditEvent.objects.filter(action="registry.template_download").exists()
