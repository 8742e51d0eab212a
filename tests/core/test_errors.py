"""The one domain error: a refusal lands beside its field on a page, at the top otherwise, and the
API answers it as `{"error": <中文>, "field": <name>|null}` (CONTRACTS §2)."""

import json

from django import forms

from duixian.applications.services import ApplicationError
from duixian.core.errors import DomainError, add_to_form, refusal_response
from duixian.decisions.services import DecisionError
from duixian.policy.facts import FactsError


class AmountForm(forms.Form):
    amount = forms.DecimalField(required=False)


def _bound():
    form = AmountForm({"amount": "12"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_of_the_form_is_shown_beside_it():
    form = _bound()
    add_to_form(form, DecisionError("拟兑现金额不能超过上限 100 万元。", "amount"))
    assert form.errors == {"amount": ["拟兑现金额不能超过上限 100 万元。"]}
    assert form.non_field_errors() == []


def test_a_refusal_naming_no_field_or_one_the_form_lacks_is_shown_at_the_top():
    for error in (ApplicationError("申报已提交，不能再修改。"), DecisionError("请先选择专家组。", "panel")):
        form = _bound()
        add_to_form(form, error)
        assert form.non_field_errors() == [error.message]
        assert "amount" not in form.errors


def test_the_page_may_name_the_field_differently_from_the_service():
    form = _bound()
    add_to_form(form, DecisionError("该专家已在此专家组中。", "expert"), field="amount")
    assert form.errors["amount"] == ["该专家已在此专家组中。"]


def test_the_api_answers_every_refusal_in_one_shape():
    answer = refusal_response(DomainError("事实（facts）应为 JSON 对象", "facts"))
    assert answer.status_code == 422
    assert json.loads(answer.content) == {"error": "事实（facts）应为 JSON 对象", "field": "facts"}
    assert "事实".encode() in answer.content  # UTF-8 as is, not \\u escapes

    no_field = refusal_response(DomainError("请求体不是有效的 JSON"))
    assert json.loads(no_field.content) == {"error": "请求体不是有效的 JSON", "field": None}

    # The engine's own refusal (not a DomainError: the engine imports nothing of the platform)
    # answers in the same shape.
    engine = refusal_response(FactsError("org.owns_ip", "字段 org.owns_ip 应为 true 或 false"))
    assert json.loads(engine.content) == {"error": "字段 org.owns_ip 应为 true 或 false", "field": "org.owns_ip"}


def test_every_service_refusal_is_a_domain_error_with_its_message_as_text():
    error = ApplicationError("请填写项目名称。", "project_name")
    assert isinstance(error, DomainError)
    assert str(error) == error.message == "请填写项目名称。" and error.field == "project_name"
    assert DomainError("x", "").field is None  # "no field" is one value, not two
