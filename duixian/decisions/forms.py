"""Forms for the province, the experts and the public objection page; they say why in Chinese."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _

from duixian.core.clock import SHANGHAI
from duixian.decisions.models import ConflictRelation, FundingKind, ObjectionOutcome
from duixian.policy.display import pack_text
from duixian.policy.scoring import Sheet
from duixian.codes.divisions import CITIES


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PaperReceiptForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("接收时间（北京时间）"), widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("请填写接收时间。"), "invalid": _("请按“年-月-日 时:分”填写接收时间。")},
    )
    items = forms.MultipleChoiceField(label=_("收到的材料"), required=False, widget=forms.CheckboxSelectMultiple)
    copies = forms.IntegerField(label=_("份数"), min_value=1, max_value=10,
                                error_messages={"required": _("请填写份数。"), "min_value": _("份数至少为 1。")})
    note = forms.CharField(label=_("备注"), required=False, max_length=300)

    def __init__(self, *args, delivery, **kwargs):
        """`delivery`: the batch's delivery rules (pack.delivery): which items, how many copies."""
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(item, item) for item in delivery.items]
        self.fields["copies"].help_text = gettext("通知要求%(copies)s。") % {"copies": gettext(delivery.copies_text)}

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        # The window's clock is Beijing time whatever the browser's zone.
        return value.replace(tzinfo=None).replace(tzinfo=SHANGHAI) if value else value


def clause_choices_with_sheet(pack):
    """The pack's clauses that have a scoring sheet (`scoring_sheets`), named as its notice names them."""
    from duixian.applications import policy_bridge

    return [(c, policy_bridge.clause_label(c, batch_id=pack.batch_id)) for c in pack.scored_clauses()]


class PanelForm(forms.Form):
    clause = forms.ChoiceField(label=_("依据政策条款"), choices=(), error_messages={"required": _("请选择条款。")})
    name = forms.CharField(label=_("专家组名称"), max_length=100, error_messages={"required": _("请填写专家组名称。")})
    members = forms.ModelMultipleChoiceField(
        label=_("专家"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名专家。")},
    )

    def __init__(self, *args, pack, **kwargs):
        """`pack`: the batch the panel is formed for."""
        from duixian.decisions.selectors import experts

        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = clause_choices_with_sheet(pack)
        self.fields["members"].queryset = experts()
        self.fields["members"].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.username}）"


class DeclarationForm(forms.Form):
    uscc = forms.CharField(label=_("单位统一社会信用代码"), max_length=18,
                           error_messages={"required": _("请填写单位的统一社会信用代码。")})
    organisation_name = forms.CharField(label=_("单位名称"), max_length=200, required=False)
    relation = forms.ChoiceField(label=_("与本人的关系"), choices=ConflictRelation.choices)


class ProvinceDeclarationForm(DeclarationForm):
    expert = forms.ModelChoiceField(label=_("专家"), queryset=None, error_messages={"required": _("请选择专家。")})
    field_order = ["expert", "uscc", "organisation_name", "relation"]

    def __init__(self, *args, **kwargs):
        from duixian.decisions.selectors import experts

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts()


class AssignForm(forms.Form):
    """The value is "panel id:expert id"; experts who must recuse are marked in the option text."""

    member = forms.ChoiceField(label=_("分配给专家"), error_messages={"required": _("请选择专家。")})

    def __init__(self, *args, application=None, **kwargs):
        from duixian.decisions.models import ExpertPanel
        from duixian.decisions.selectors import conflict_of_interest

        super().__init__(*args, **kwargs)
        choices = [("", gettext("—— 请选择 ——"))]
        assigned = set(application.expert_assignments.values_list("expert_id", flat=True)) if application else set()
        panels = ExpertPanel.objects.filter(clause=application.clause, batch_id=application.batch_id)
        for panel in panels.prefetch_related("members"):
            for member in panel.members.all():
                label = f"{panel.name} · {member.full_name or member.username}"
                if member.pk in assigned:
                    label += gettext("（已分配）")
                elif conflict_of_interest(member, application)[0]:
                    label += gettext("（须回避）")
                choices.append((f"{panel.pk}:{member.pk}", label))
        self.fields["member"].choices = choices


class ApproveForm(forms.Form):
    amount = forms.CharField(label=_("核定兑现金额（万元）"), max_length=20,
                             error_messages={"required": _("请填写核定兑现金额。")})
    without_panel_reason = forms.CharField(
        label=_("未经专家评分即作出决定的理由"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("该条款为专家评审，专家评分尚未完成。确需先作决定的，写明理由；理由记入决定和审计日志。"))
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, panel_shortfall: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not panel_shortfall:  # the panel has scored, or the clause has no expert review
            del self.fields["without_panel_reason"]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不通过理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("评审不通过须填写理由。")})
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200, error_messages={"required": _("请填写公示标题。")})
    working_days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=30, initial=5,
                                      help_text=_("按国务院公布的节假日安排计算工作日；公示当日为工作日的计为第1天。"),
                                      error_messages={"required": _("请填写公示期。"),
                                                      "min_value": _("公示期至少 1 个工作日。"),
                                                      "max_value": _("公示期最多 30 个工作日。")})
    contact = forms.CharField(label=_("异议受理联系方式"), max_length=200, required=False)
    applications = forms.ModelMultipleChoiceField(
        label=_("公示项目（评审通过、尚未公示）"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个评审通过的申报进行公示。")},
    )

    def __init__(self, *args, batch_id: str = "", **kwargs):
        """`batch_id`: the batch whose approved applications it offers (one 公示 lists one batch); its
        pack gives the default title and objection contact (`display`)."""
        from duixian.applications import policy_bridge
        from duixian.decisions.selectors import approved_unpublished

        super().__init__(*args, **kwargs)
        pack = policy_bridge.batch_pack(batch_id)
        self.fields["title"].initial = pack.publication_title
        self.fields["contact"].initial = pack.objection_contact
        self.fields["applications"].queryset = approved_unpublished(batch_id)
        self.fields["applications"].label_from_instance = (
            lambda a: gettext("%(reference)s %(organisation)s · %(project)s · %(amount)s 万元") % {
                "reference": a.reference, "organisation": a.organisation.name, "project": a.project_name,
                "amount": a.decision.amount_wan})


class ObjectionForm(forms.Form):
    item = forms.ChoiceField(label=_("对哪个项目提出异议"), required=False)
    name = forms.CharField(label=_("异议人姓名或单位名称"), max_length=100,
                           help_text=_("请实名提出；您的姓名和电话仅用于核实和答复，不会公开。"),
                           error_messages={"required": _("请填写异议人姓名或单位名称。")})
    phone = forms.CharField(label=_("联系电话"), max_length=40, error_messages={"required": _("请填写联系电话。")})
    body = forms.CharField(label=_("异议内容及理由"), widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("请写明异议内容及理由。")})

    def __init__(self, *args, publication=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", gettext("整个公示名单"))] + [
            (str(i.pk), f"{i.number}. {i.organisation_name} · {i.project_name}") for i in publication.items.all()
        ]


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("异议是否成立"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("请选择异议是否成立。")})
    item = forms.ChoiceField(label=_("异议涉及的项目（异议成立时必选）"), required=False)
    answer = forms.CharField(label=_("处理意见（成立或不成立的理由，将记录在案）"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("异议人凭受理编号可在公开页面查询处理结果和本处理意见，请勿写入个人信息。"),
                             error_messages={"required": _("请填写处理意见（异议成立或不成立的理由）。")})

    def __init__(self, *args, objection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if objection is None or objection.item_id is not None:
            del self.fields["item"]  # the objection names its project already
        else:
            self.fields["item"].choices = [("", gettext("—— 请选择 ——"))] + [
                (str(i.pk), f"{i.number}. {i.organisation_name} · {i.project_name}")
                for i in objection.publication.items.all()]


class ObjectionLookupForm(forms.Form):
    reference = forms.CharField(label=_("受理编号"), max_length=24, strip=True,
                                help_text=_("提交异议时页面显示的受理编号，如 YY20260618-3F2A1C。"),
                                error_messages={"required": _("请填写受理编号。")})

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class FundingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=FundingKind.choices)
    on_date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": _("请填写日期。"), "invalid": _("请按“年-月-日”填写日期。")})
    amount = forms.CharField(label=_("金额（万元）"), max_length=20, error_messages={"required": _("请填写金额。")})
    voucher = forms.CharField(label=_("凭证号或文号"), max_length=60, error_messages={"required": _("请填写凭证号或文号。")})
    reason = forms.CharField(label=_("原因（资金追回必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, sheet: Sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        fields = {}
        for c in sheet.criteria:
            # The sheet's words (criteria, guides, questions) in the page's language when the
            # catalogue has them, else quoted as Chinese (policy.display.pack_text: HTML).
            fields[f"score_{c.id}"] = forms.DecimalField(
                label=mark_safe(conditional_escape(gettext("%(name)s（0–%(max)s 分）")) % {
                    "name": pack_text(c.name), "max": c.max_points}),
                help_text=pack_text(c.guide), min_value=Decimal("0"), max_value=Decimal(c.max_points), decimal_places=2,
                error_messages={
                    "required": gettext("请为“%(name)s”打分。") % {"name": gettext(c.name)},
                    "invalid": gettext("“%(name)s”的分数须为数字。") % {"name": gettext(c.name)},
                    "min_value": gettext("“%(name)s”的分数不能小于 0。") % {"name": gettext(c.name)},
                    "max_value": gettext("“%(name)s”的分数不能超过 %(max)s 分。") % {"name": gettext(c.name), "max": c.max_points},
                    "max_decimal_places": gettext("“%(name)s”的分数最多保留两位小数。") % {"name": gettext(c.name)},
                },
            )
        for f in sheet.facts:
            fields[f"fact_{f.name}"] = forms.TypedChoiceField(
                label=pack_text(f.question), choices=[("yes", gettext("是")), ("no", gettext("否"))], widget=forms.RadioSelect,
                coerce=lambda v: v == "yes", error_messages={"required": gettext("请对“%(question)s”作出认定。") % {"question": gettext(f.question)}},
            )
        self.fields = {**fields, **self.fields}

    def scores(self) -> dict:
        return {c.id: self.cleaned_data.get(f"score_{c.id}") for c in self.sheet.criteria}

    def review_facts(self) -> dict:
        return {name[5:]: value for name, value in self.cleaned_data.items() if name.startswith("fact_")}


class CityChoiceForm(forms.Form):
    city_code = forms.ChoiceField(choices=[(c.code, c.name) for c in CITIES])
