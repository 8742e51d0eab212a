"""Writing for the province: receipts, panels, assignments, scores, decisions, 公示, objections, money.

Every function checks who acts and the state it acts on, raises DecisionError with a Chinese
message the views show as it is, records an audit event, and moves Application.state only
through duixian.applications.workflow.application_transition.

One module per step (base: what they share). The names below are the decisions app's service
interface: views, other apps and tests import them from `duixian.decisions.services`.
"""

from duixian.decisions.services.base import DecisionError, fmt_day, parse_amount
from duixian.decisions.services.receipts import paper_receipt_record
from duixian.decisions.services.expert_review import (
    assignment_create,
    assignment_score,
    declaration_add,
    panel_create,
)
from duixian.decisions.services.approval import decision_approve, decision_reject, panel_shortfall
from duixian.decisions.services.bulk import decisions_batch
from duixian.decisions.services.publication import period_text, publication_create
from duixian.decisions.services.objections import (
    OBJECTION_MAX_BYTES,
    OBJECTION_MAX_FILES,
    objection_answer,
    objection_attachment_name,
    objection_submit,
)
from duixian.decisions.services.funding import funding_record

__all__ = [
    "DecisionError",
    "OBJECTION_MAX_BYTES",
    "OBJECTION_MAX_FILES",
    "assignment_create",
    "assignment_score",
    "decision_approve",
    "decision_reject",
    "decisions_batch",
    "declaration_add",
    "fmt_day",
    "funding_record",
    "objection_answer",
    "objection_attachment_name",
    "objection_submit",
    "panel_create",
    "panel_shortfall",
    "paper_receipt_record",
    "parse_amount",
    "period_text",
    "publication_create",
]
