from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "duixian.demo"
    label = "demo"
