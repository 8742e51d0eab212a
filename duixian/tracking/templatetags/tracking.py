"""`{% application_progress app %}`: the stages of an application with their time limits;
`{% rating_forms app %}`: the 好差评 forms for the stages the signed-in user may rate now."""

from django import template

from duixian.tracking.forms import RatingForm
from duixian.tracking.models import RatedStage
from duixian.tracking.permissions import ratable_stages
from duixian.tracking.progress import application_stages
from duixian.tracking.selectors import ratings_given

register = template.Library()


@register.inclusion_tag("tracking/_progress.html")
def application_progress(app):
    return {"stages": application_stages(app)}


@register.inclusion_tag("tracking/_rating.html", takes_context=True)
def rating_forms(context, app):
    user = context["request"].user
    own = getattr(user, "organisation_id", None) == app.organisation_id
    if not own:  # a rating is the organisation's word to the province, not to the city it rates
        return {"forms": [], "given": []}
    forms = [(RatedStage(stage).label, RatingForm(initial={"stage": stage}, auto_id=f"id_{stage}_%s"))
             for stage in ratable_stages(user, app)]
    return {"app": app, "forms": forms, "given": ratings_given(app.pk),
            "csrf_token": context.get("csrf_token")}
