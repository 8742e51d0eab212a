from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "duixian.orgs"
    label = "orgs"
