"""一企一档: what the platform already knows about an organisation, as facts for the engine.

`profile_facts(org)` gathers, without asking anything: the registration and profile the
organisation stated (kind, city, Anhui registration, legal person, IP, credit, prior support —
orgs.selectors.organisation_facts), and the facts about the organisation it gave in earlier
applications (the `org.*` answers and a park's prior support, newest first). The profile wins over an
answer: it is what the city confirmed. Registry rows about the organisation are laid over these
by the same overlay the application pages use (policy_bridge.evaluate_facts), per clause.
"""

from __future__ import annotations

from duixian.applications import questions as q
from duixian.applications.models import Application
from duixian.orgs.models import Organisation
from duixian.orgs.selectors import organisation_facts

# The facts (CONTRACTS §2) the organisation's profile holds (orgs.selectors.organisation_facts):
# the whole `org` group and a park operator's prior support. The rest describe a project.
PROFILE_GROUP = "org"
PROFILE_EXTRA = frozenset({"operator.prior_support"})


def is_profile_fact(name: str) -> bool:
    return name.split(".", 1)[0] == PROFILE_GROUP or name in PROFILE_EXTRA


def earlier_answers(org: Organisation) -> dict:
    """The organisation-level facts given in its applications, the newest answer of each."""
    flat: dict = {}
    for facts in Application.objects.filter(organisation=org).order_by("-pk").values_list("facts", flat=True):
        for name, value in q.flatten(facts or {}).items():
            if is_profile_fact(name) and value is not None:
                flat.setdefault(name, value)
    return flat


def profile_facts(org: Organisation, *, earlier: dict | None = None) -> dict:
    """The organisation's facts (flat names → values): earlier answers, then its profile."""
    flat = dict(earlier if earlier is not None else earlier_answers(org))
    # str() of a choice (an OrgKind not read back from the database) is its plain value
    flat.update({name: str(value) if isinstance(value, str) else value
                 for name, value in q.flatten(organisation_facts(org)).items()})
    return flat
