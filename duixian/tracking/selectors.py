"""Reads of the tracking app: the province's view of the 好差评 ratings."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from duixian.applications import policy_bridge
from duixian.core.compiled import CompiledQuery
from duixian.tracking.models import RatedStage, ServiceRating

# The status page lists the ratings already given on every view: compiled once per process
# (duixian.core.compiled), not built through the ORM each time (issue 22).
_GIVEN = CompiledQuery(ServiceRating, lambda app_id: ServiceRating.objects.filter(application_id=app_id)
                       .order_by("stage"), (-7_310_561,))


def ratings_given(app_id) -> list[ServiceRating]:
    """The ratings of one application, by stage."""
    return _GIVEN.all(app_id)


@dataclass
class RatingCell:
    count: int = 0
    average: Decimal | None = None
    bad: int = 0  # 差评: 1 or 2


@dataclass
class CityRatings:
    city_code: str
    city: str
    cells: dict[str, RatingCell] = field(default_factory=dict)  # stage -> cell


def ratings_by_city_and_stage() -> list[CityRatings]:
    """Every city of the pack's 附件1 (a city with no rating too), each stage's count and average."""
    pack = policy_bridge.get_pack()
    rows = {c.city_code: CityRatings(c.city_code, c.city, {s: RatingCell() for s in RatedStage.values})
            for c in pack.contacts.cities}
    found = (ServiceRating.objects.values("city_code", "stage")
             .annotate(n=Count("pk"), avg=Avg("score"), bad=Count("pk", filter=Q(score__lte=2))))
    for row in found:
        city = rows.setdefault(row["city_code"], CityRatings(
            row["city_code"], row["city_code"], {s: RatingCell() for s in RatedStage.values}))
        city.cells[row["stage"]] = RatingCell(
            row["n"], Decimal(str(row["avg"])).quantize(Decimal("0.01"), ROUND_HALF_UP), row["bad"])
    return sorted(rows.values(), key=lambda r: r.city_code)


def recent_comments(limit: int = 50):
    return (ServiceRating.objects.exclude(comment="").select_related("application")
            .order_by("-rated_at", "-pk")[:limit])
