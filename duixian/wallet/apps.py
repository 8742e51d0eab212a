from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "duixian.wallet"
    label = "wallet"
    verbose_name = _("单位证照库")
