"""`{% application_progress app %}`: the stages of an application with their time limits;
`{% rating_forms app %}`: the 好差评 forms for the stages the signed-in user may rate now."""

from django import template

from duixian.tracking.forms import RatingForm
from duixian.tracking.models import RatedStage
from duixian.tracking.permissions import DECIDED, ratable_stages
from duixian.tracking.progress import progress_html
from duixian.tracking.selectors import ratings_given

register = template.Library()


@register.simple_tag
def application_progress(app):
    """tracking/_progress.html for `app`, kept per pack, state, city and language (progress_html)."""
    return progress_html(app)


_RATING = "tracking/_rating.html"
# What _RATING writes with neither a form nor a rating given: its file's last line end (pinned
# by tests/applications/test_pinned_pages.py and tests/tracking/test_rating_html.py).
_NOTHING = "\n"


@register.simple_tag(takes_context=True)
def rating_forms(context, app):
    """tracking/_rating.html, which writes nothing when there is neither a form nor a rating given
    (most views: the template is then not rendered at all)."""
    user = context["request"].user
    own = getattr(user, "organisation_id", None) == app.organisation_id
    if not own:  # a rating is the organisation's word to the province, not to the city it rates
        return _NOTHING
    # a stage is rated only after its decision (can_rate): the registry is not asked before then
    stages = ratable_stages(user, app) if any(app.state in states for states in DECIDED.values()) else []
    forms = [(RatedStage(stage).label, RatingForm(initial={"stage": stage}, auto_id=f"id_{stage}_%s"))
             for stage in stages]
    given = ratings_given(app.pk)
    if not forms and not given:
        return _NOTHING
    return context.template.engine.get_template(_RATING).render(context.new({
        "app": app, "forms": forms, "given": given, "csrf_token": context.get("csrf_token")}))
