"""The xlsx of `duixian subsidy compute` explains itself in its 说明 sheet: the unit quantities are in
and where the notice says how the 算力补助量 is computed. Both come from the pack (issue 18: nothing
about a notice in Python), so a pack whose base unit is GPU时 and whose formula is another sentence
gets a sheet that says so."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from duixian.compute.command_line import run_compute
from duixian.policy import packfile
from duixian.policy.pack import DEFAULT_PACK_PATH, PackError, load_pack

from .test_command import files  # noqa: F401  (fixture)

SHIPPED = DEFAULT_PACK_PATH.read_text(encoding="utf-8")


def _notes(files, tmp_path, pack_path=None, monkeypatch=None):  # noqa: F811
    metering, orgs = files
    if pack_path is not None:
        real = packfile.load_compute_parameters
        monkeypatch.setattr(packfile, "load_compute_parameters", lambda *a: real(pack_path))
    target = tmp_path / "out.xlsx"
    run_compute({"metering": str(metering), "orgs": str(orgs), "format": "xlsx", "out": str(target),
                 "memory_limit": "256MB"}, print, print)
    return {row[0]: row[1] for row in load_workbook(target)["说明"].iter_rows(min_row=2, values_only=True)}


def _other_pack(tmp_path, text=SHIPPED):
    other = (text.replace("{id: card_hour, name: 卡时, base: true,", "{id: card_hour, name: GPU时, base: true,", 1)
             .replace('{id: "3.1.4", ref: "三、（一）4",', '{id: "3.1.4", ref: "九、（二）7",', 1))
    assert other.count("GPU时") == 1 and "九、（二）7" in other
    path = tmp_path / "other.yaml"
    path.write_text(other, encoding="utf-8")
    return path


def test_2026_sheet_names_card_hours_and_cites_the_notice(files, tmp_path):  # noqa: F811
    notes = _notes(files, tmp_path)
    assert notes["计量单位"] == "卡时"
    assert notes["算力补助量"] == "算力使用量 − 算力被使用量，大于0且单位符合条件时才计补助（通知三、（一）4）"


def test_another_pack_names_its_unit_and_its_sentence(files, tmp_path, monkeypatch):  # noqa: F811
    notes = _notes(files, tmp_path, _other_pack(tmp_path), monkeypatch)
    assert notes["计量单位"] == "GPU时"
    assert notes["算力补助量"] == "算力使用量 − 算力被使用量，大于0且单位符合条件时才计补助（通知九、（二）7）"


def test_a_pack_naming_no_sentence_cites_nothing(files, tmp_path, monkeypatch):  # noqa: F811
    text = SHIPPED.replace(', sentence: "3.1.4"', "", 1)
    path = tmp_path / "plain.yaml"
    path.write_text(text, encoding="utf-8")
    notes = _notes(files, tmp_path, path, monkeypatch)
    assert notes["算力补助量"] == "算力使用量 − 算力被使用量，大于0且单位符合条件时才计补助"


def test_the_sentence_is_the_packs_own(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED.replace(', sentence: "3.1.4"', ', sentence: "9.9.9"', 1), encoding="utf-8")
    for load in (packfile.load_compute_parameters, load_pack):
        with pytest.raises(PackError) as refused:
            load(bad)
        assert [p.place for p in refused.value.problems] == ["compute_units[0].sentence"]
        assert "9.9.9" in refused.value.problems[0].message and refused.value.problems[0].line
