from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "duixian.accounts"
    label = "accounts"
