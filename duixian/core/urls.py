from django.urls import path

from duixian.core import care_mode, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notice/", views.notice, name="notice"),
    path("notice/text/", views.notice_text, name="notice_text"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("province/announcements/", views.announcements, name="announcements"),
    path("province/announcements/<id:pk>/withdraw/", views.announcement_withdraw, name="announcement_withdraw"),
    path("demo/clock/", views.demo_clock, name="demo_clock"),
    path("care-mode/", care_mode.toggle, name="care_mode"),  # 适老化 (issue 20)
]
