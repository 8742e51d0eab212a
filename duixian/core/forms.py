from django import forms
from django.utils.translation import gettext_lazy as _

from duixian.core import clock
from duixian.core.models import Announcement


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["kind", "title", "body", "pinned"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class DemoClockForm(forms.Form):
    PRESETS = [
        ("custom", _("自定义时间")),
        ("open", _("申报期内（2026年4月20日 10:00）")),
        ("last_minutes", _("申报截止前 10 分钟")),
        ("after_close", _("申报截止后（市级审核期）")),
        ("after_city", _("市级推荐截止后（省级评审期）")),
    ]
    preset = forms.ChoiceField(label=_("快捷选择"), choices=PRESETS, initial="custom")
    moment = forms.DateTimeField(
        label=_("演示时间（北京时间）"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack = pack

    def clean(self):
        data = super().clean()
        from datetime import timedelta

        presets = {
            "open": clock.DEMO_START,
            "last_minutes": self.pack.application_close - timedelta(minutes=10),
            "after_close": self.pack.application_close + timedelta(hours=1),
            "after_city": self.pack.city_review_deadline + timedelta(hours=1),
        }
        preset = data.get("preset")
        if preset in presets:
            data["moment"] = presets[preset]
        elif not data.get("moment"):
            self.add_error("moment", _("请填写演示时间，或选择一个快捷选项。"))
        else:
            data["moment"] = data["moment"].astimezone(clock.SHANGHAI)
        return data
