"""The work list's reads compiled once per process (issue 22) give what the ORM gives: its rows
page by page (selectors.WorklistRows against slices of selectors.worklist), the state counts, the
汇总表 preview's count and total (against exports.summary.summary_data) and the downloaded
versions, on SQLite and PostgreSQL; and duixian.core.compiled.CompiledRows refuses what it
cannot compile."""

from decimal import Decimal

import pytest

from duixian.applications.models import Application
from duixian.applications.workflow import application_transition
from duixian.core.compiled import CompiledRows
from duixian.review import selectors

from .conftest import at
from .test_worklist_html import worklist_rows  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SHOWN = ("pk", *selectors.WORKLIST_COLUMNS, "organisation_name", "snapshot_status", "state_label", "clause_label")


def _shown(rows) -> list[tuple]:
    return [tuple(getattr(row, name) for name in SHOWN) for row in rows]


def test_the_rows_page_by_page_are_the_orms(worklist_rows, users):  # noqa: F811
    batch = worklist_rows[0].batch_id
    wuhu = users["wuhu_applicant"]
    assert wuhu.city_code != "340100"
    for batch_id in (batch, "", "another-batch"):
        for state in ("", "submitted", "recommended", "paid"):
            orm = selectors.worklist("340100", batch_id=batch_id, state=state)
            count = orm.count()
            rows = selectors.worklist_items("340100", batch_id=batch_id, state=state, count=count)
            assert isinstance(rows, selectors.WorklistRows) and len(rows) == count
            for start, stop in ((0, 50), (0, 2), (2, 4), (4, 6), (5, 6), (6, 6), (0, 0)):
                assert _shown(rows[start:stop]) == _shown(orm[start:stop]), (batch_id, state, start, stop)
    assert selectors.worklist_items("340200", batch_id=batch, count=0)[0:50] == []
    # a clause, words or an unknown length: the ORM's queryset, as before
    for kwargs in ({"clause": "2", "count": 6}, {"text": "医", "count": 6}, {}):
        assert not isinstance(selectors.worklist_items("340100", batch_id=batch, **kwargs), selectors.WorklistRows)


def test_the_rows_show_no_other_citys_applications(worklist_rows, users, time_machine):  # noqa: F811
    from .conftest import make_submitted

    wuhu = make_submitted(users["wuhu_applicant"], "芜湖港口调度大模型应用", time_machine=time_machine)
    batch = worklist_rows[0].batch_id
    hefei = selectors.worklist_items("340100", batch_id=batch, count=6)[0:50]
    assert {r.pk for r in hefei} == {a.pk for a in worklist_rows}
    assert [r.pk for r in selectors.worklist_items("340200", batch_id=batch, count=1)[0:50]] == [wuhu.pk]


def test_the_state_counts_are_the_orms(worklist_rows):  # noqa: F811
    from django.db.models import Count

    from duixian.applications.selectors import applications_for_city

    batch = worklist_rows[0].batch_id
    Application.objects.filter(pk=worklist_rows[0].pk).update(batch_id="another-batch")
    for city in ("340100", "340200"):
        for batch_id in ("", batch, "another-batch", "none"):
            orm = applications_for_city(city, batch_id).order_by().values("state").annotate(n=Count("pk"))
            assert selectors.state_counts(city, batch_id) == {r["state"]: r["n"] for r in orm}, (city, batch_id)
    assert selectors.state_counts("340100", batch) == {"submitted": 1, "recommended": 1, "returned": 1,
                                                       "not_recommended": 1, "expired": 1}


def test_the_summary_preview_counts_what_the_summary_lists(worklist_rows, users, time_machine):  # noqa: F811
    from duixian.exports import services
    from duixian.exports.summary import summary_data
    from duixian.exports.views import summary_preview, version_rows
    from duixian.policy.pack import default_pack

    pack = default_pack()

    def both(city="340100"):
        data = summary_data(city, pack=pack)
        preview = summary_preview(city, pack)
        assert (preview.count, preview.total_wan) == (len(data.rows), data.total_wan)
        return preview.count, str(preview.total_wan)

    assert both() == (0, "0.00")
    clerk = users["hefei_clerk"]
    amounts = (Decimal("12.35"), None, Decimal("0.05"))
    for app, amount in zip(worklist_rows[:2], amounts):
        time_machine.move_to(at("2026-04-27 09:00:00"), tick=False)
        application_transition(Application.objects.get(pk=app.pk), "recommend", clerk)
        Application.objects.filter(pk=app.pk).update(amount_requested_wan=amount)
    assert both() == (2, "12.35")
    Application.objects.filter(pk=worklist_rows[1].pk).update(amount_requested_wan=Decimal("1234567.50"))
    assert both() == (2, "1234579.85")
    assert both("340200") == (0, "0.00")

    assert version_rows("340100", pack.batch_id) == []
    services.download_summary("340100", "xlsx", user=clerk)
    services.download_letter("340100", None, user=clerk)
    orm = list(services.versions_for_city("340100", pack.batch_id))
    rows = version_rows("340100", pack.batch_id)
    assert [(v.pk, v.kind, v.number, v.sha256, v.created_at, v.changes_text) for v in rows] == [
        (v.pk, v.kind, v.number, v.sha256, v.created_at, services.changes_text(v.changes)) for v in orm]
    assert len(rows) == 2 and version_rows("340200", pack.batch_id) == []


def test_compiled_rows_refuse_what_they_cannot_run():
    objects = CompiledRows(Application, lambda city: Application.objects.filter(city_code=city), ("\x00c",))
    with pytest.raises(TypeError):
        objects.all("340100")
    sliced = CompiledRows(Application, lambda city: Application.objects.filter(city_code=city).values_list("pk")[:5],
                          ("\x00c",))
    with pytest.raises(ValueError):
        sliced.all("340100")
    twice = CompiledRows(Application, lambda c: Application.objects.filter(city_code=c, reference=c).values_list("pk"),
                         ("\x00c",))
    with pytest.raises(ValueError):
        twice.all("340100")
    fine = CompiledRows(Application, lambda c: Application.objects.filter(city_code=c).values_list("pk"), ("\x00c",))
    with pytest.raises(ValueError):
        fine.all("340100", offset=5)
