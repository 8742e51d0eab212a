"""The registries in force, read through a query compiled once (issue 22: every live verdict asks
it), are the versions and fields the ORM gives: the newest active version of each kind, a
withdrawn one no longer."""

import pytest

from duixian.registries.models import RegistryVersion
from duixian.registries.selectors import latest_versions
from duixian.registries.services import registry_version_withdraw

from .conftest import HEFEI, OTHER, import_rows

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_latest_active_version_of_each_kind_is_the_orm_one(users):
    assert latest_versions() == {}
    first = import_rows("serious_dishonesty", [[HEFEI, "合肥测试科技", "2024", "信用中国"]], users["province"])
    second = import_rows("serious_dishonesty", [[OTHER, "另一家公司", "2025", "信用中国"]], users["province"])
    bench = import_rows("future_industry_benchmark", [[OTHER, "另一家公司", "港口调度", "2024", "文件"]],
                        users["province"])
    found = latest_versions()
    assert {kind: v.pk for kind, v in found.items()} == {"serious_dishonesty": second.pk,
                                                         "future_industry_benchmark": bench.pk}
    for version in found.values():
        assert _fields(version) == _fields(RegistryVersion.objects.get(pk=version.pk))  # dates as the ORM reads them
    registry_version_withdraw(second, user=users["province"], reason="导入有误")
    assert latest_versions()["serious_dishonesty"].pk == first.pk
