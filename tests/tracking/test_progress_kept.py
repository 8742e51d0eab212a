"""The status page's progress table kept per pack, state, city, language, 公示 period and upheld
objection (tracking.progress.progress_html), and the 好差评 tag that renders nothing without
its template: each the same bytes as the template it stands for, and never a stale table."""

from __future__ import annotations

from django.template import Context, Template
from django.template.loader import get_template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from duixian.decisions.services import objection_answer, objection_submit
from duixian.tracking import progress
from duixian.tracking.forms import RatingForm
from duixian.tracking.models import RatedStage
from duixian.tracking.permissions import ratable_stages
from duixian.tracking.progress import application_stages, progress_html
from duixian.tracking.selectors import ratings_given


def _template(app) -> str:
    return get_template("tracking/_progress.html").render({"stages": application_stages(app)})


def test_the_kept_table_is_the_templates_and_follows_the_state_and_language(recommended):
    app = recommended[0]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert progress_html(app) == _template(app)
            assert progress_html(app) == _template(app)  # kept: the same again
    with translation.override("en"):
        english = progress_html(app)
    assert english != progress_html(app) and "省级评审决定" not in english
    app.state = "submitted"  # as before the clerk recommended it (not saved)
    submitted = progress_html(app)
    assert submitted == _template(app) and 'id="stage-city" data-status="current"' in submitted
    app.state = "recommended"
    assert 'id="stage-province" data-status="current"' in progress_html(app)


def test_another_city_has_its_own_table(recommended):
    hefei, wuhu = recommended[0], recommended[2]
    hefei.state = wuhu.state = "submitted"  # at the city stage, which names the city (not saved)
    assert progress_html(hefei) != progress_html(wuhu)
    assert "芜湖" in progress_html(wuhu) and "芜湖" not in progress_html(hefei)
    assert progress_html(wuhu) == _template(wuhu)


def test_the_table_follows_an_upheld_objection_and_the_publication(published, users):
    item = published.items.order_by("pk").first()
    app = item.application
    app.refresh_from_db()
    before = progress_html(app)
    assert "公示期：2026年6月18日至2026年6月25日（5个工作日）" in before and "下达资金并拨付" in before
    objection = objection_submit(publication=published, item=item, name="赵敏", phone="13705516482", body="申报内容不实")
    objection_answer(objection, answer="经核实，异议成立。", outcome="upheld", user=users["province"])
    after = progress_html(app)
    assert "暂停资金下达和拨付" in after and "下达资金并拨付" not in after and after == _template(app)


def test_a_setting_change_forgets_the_tables(recommended):
    app = recommended[0]
    progress_html(app)
    assert progress._TABLES
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert not progress._TABLES


def test_the_applicants_status_page_shows_its_own_table(recommended, users, client):
    client.force_login(users["hefei_applicant"])
    page = client.get(reverse("applications:status", kwargs={"pk": recommended[0].pk})).content.decode()
    assert progress_html(recommended[0]) in page


def _tag(app, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load tracking %}{% rating_forms app %}").render(
        Context({"request": request, "app": app, "csrf_token": "tok<&>"}))


def _inclusion(app, user) -> str:
    """What the inclusion tag the page had rendered."""
    own = user.organisation_id == app.organisation_id
    forms = [(RatedStage(stage).label, RatingForm(initial={"stage": stage}, auto_id=f"id_{stage}_%s"))
             for stage in (ratable_stages(user, app) if own else [])]
    given = ratings_given(app.pk) if own else []
    return get_template("tracking/_rating.html").render(
        {"app": app, "forms": forms, "given": given, "csrf_token": "tok<&>"})


def test_the_rating_tag_writes_what_its_template_wrote(recommended, users, client):
    app, applicant = recommended[0], users["hefei_applicant"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert _tag(app, applicant) == _inclusion(app, applicant)
            assert 'id="rating-form-city"' in _tag(app, applicant)
            assert _tag(app, users["hefei_clerk"]) == _inclusion(app, users["hefei_clerk"]) == "\n"
    app.state = "submitted"  # nothing to rate yet: the registry is not asked, the template not rendered
    assert _tag(app, applicant) == _inclusion(app, applicant) == "\n"
    app.state = "recommended"
    client.force_login(applicant)
    client.post(reverse("tracking:rate", kwargs={"pk": app.pk}),
                {"stage": "city", "score": "4", "comment": "<script>alert(1)</script>"})
    given = _tag(app, applicant)
    assert given == _inclusion(app, applicant) and 'id="rating-given-city"' in given
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in given and "<script>alert" not in given
