from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from duixian.authz import requires
from duixian.api.v1 import api as api_v1
from duixian.core import converters

converters.register()  # <id:…> and <city:…>, used by the apps' URL modules included below

urlpatterns = [
    path("", include("duixian.core.urls")),
    path("policy/", include("duixian.policy.urls")),
    path("accounts/", include("duixian.accounts.urls")),
    path("audit/", include("duixian.audit.urls")),
    path("orgs/", include("duixian.orgs.urls")),
    path("applications/", include("duixian.applications.urls")),
    path("decisions/", include("duixian.decisions.urls")),
    path("public/", include("duixian.decisions.public_urls")),
    path("review/", include("duixian.review.urls")),
    path("exports/", include("duixian.exports.urls")),
    path("api/v1/", api_v1.urls),
    path("registries/", include("duixian.registries.urls")),  # issue 11
    path("sandbox/", include("duixian.sandbox.urls")),  # 政策沙盘 (issue 11)
    path("compute/", include("duixian.compute.urls")),  # 算力补助 免申即享 (issue 8)
    path("track/", include("duixian.tracking.urls")),  # 办理进度查询, 好差评 (issue 19)
    path("guide/", include("duixian.guidance.urls")),  # 政策解读与问答 (issue 19)
    path("wallet/", include("duixian.wallet.urls")),  # 单位证照库 (issue 19)
    path("matching/", include("duixian.matching.urls")),  # 政策匹配通知设置 (issue 19)
    path("", include("duixian.ops.urls")),  # /healthz and task progress (issue 10)
    path("i18n/setlang/", login_not_required(requires("anyone")(set_language)), name="set_language"),
]
