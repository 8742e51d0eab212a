from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "duixian.accounts"
    label = "accounts"

    def ready(self):
        from duixian.accounts import checks  # noqa: F401  (the unified identity settings)
