"""好差评: after a decision the organisation rates the stage once; the province reads them by city."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duixian.audit.models import AuditEvent
from duixian.tracking.models import ServiceRating
from duixian.tracking.services import RatingRefused, rating_submit


def _rate(client, app, stage="city", score="4", comment=""):
    return client.post(reverse("tracking:rate", kwargs={"pk": app.pk}),
                       {"stage": stage, "score": score, "comment": comment})


def test_the_organisation_rates_the_city_once_after_its_recommendation(recommended, users, client):
    app = recommended[0]
    client.force_login(users["hefei_applicant"])
    page = client.get(reverse("applications:status", kwargs={"pk": app.pk})).content.decode()
    assert 'id="rating-form-city"' in page and 'id="rating-form-province"' not in page  # not decided yet
    assert _rate(client, app, comment="审核及时，退回意见清楚").status_code == 302
    rating = ServiceRating.objects.get()
    assert (rating.stage, rating.score, rating.city_code, rating.comment) == ("city", 4, "340100", "审核及时，退回意见清楚")
    event = AuditEvent.objects.get(action="tracking.rating_submit")
    assert event.username == "hefei_applicant" and event.detail["score"] == 4
    _rate(client, app, score="1")
    assert ServiceRating.objects.count() == 1
    page = client.get(reverse("applications:status", kwargs={"pk": app.pk})).content.decode()
    assert 'id="rating-form-city"' not in page and "您对“市级审核推荐”的评价：4分" in page


def test_a_stage_without_its_decision_cannot_be_rated(recommended, users):
    with pytest.raises(RatingRefused, match="作出结果后才能评价"):
        rating_submit(recommended[0], stage="province", score=5, user=users["hefei_applicant"])


def test_another_organisation_and_the_clerk_cannot_rate(recommended, users, client):
    app = recommended[0]
    client.force_login(users["wuhu_applicant"])
    assert _rate(client, app).status_code == 404
    client.force_login(users["hefei_clerk"])
    _rate(client, app)
    page = client.get(reverse("applications:status", kwargs={"pk": app.pk})).content.decode()
    assert 'id="service-rating"' not in page  # the clerk neither rates nor reads the rating
    assert not ServiceRating.objects.exists()


def test_a_score_outside_one_to_five_is_refused(recommended, users):
    with pytest.raises(RatingRefused):
        rating_submit(recommended[0], stage="city", score=6, user=users["hefei_applicant"])


def test_the_province_sees_ratings_by_city_and_stage(recommended, users, client):
    rating_submit(recommended[0], stage="city", score=5, user=users["hefei_applicant"])
    rating_submit(recommended[1], stage="city", score=2, comment="材料要求说明不清", user=users["hefei_applicant"])
    rating_submit(recommended[2], stage="city", score=4, user=users["wuhu_applicant"])
    client.force_login(users["province"])
    page = client.get(reverse("tracking:ratings")).content.decode()
    hefei = page.split('id="ratings-340100"')[1].split("</tr>")[0]
    assert "<td>2</td><td>3.50</td><td>1</td>" in hefei  # two ratings, average 3.5, one 差评
    wuhu = page.split('id="ratings-340200"')[1].split("</tr>")[0]
    assert "<td>1</td><td>4.00</td><td>0</td>" in wuhu
    assert "材料要求说明不清" in page and 'id="ratings-341000"' in page  # 黄山: a city with none yet


@pytest.mark.parametrize("who", ["hefei_clerk", "hefei_applicant", "expert"])
def test_only_the_province_opens_the_ratings(recommended, users, client, who):
    client.force_login(users[who])
    assert client.get(reverse("tracking:ratings")).status_code == 404


def test_the_province_dashboard_links_to_the_ratings(users, client):
    client.force_login(users["province"])
    assert f'href="{reverse("tracking:ratings")}"' in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(users["hefei_clerk"])
    assert f'href="{reverse("tracking:ratings")}"' not in client.get(reverse("core:dashboard")).content.decode()
