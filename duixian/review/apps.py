from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "duixian.review"
    label = "review"
    verbose_name = "市级审核推荐"
