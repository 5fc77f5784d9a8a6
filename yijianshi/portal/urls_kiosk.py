"""自助终端 (kiosk) pages, under /kiosk/."""

from django.urls import path

from yijianshi.portal import views_kiosk

app_name = "kiosk"

urlpatterns = [
    path("", views_kiosk.signin, name="signin"),
    path("code/", views_kiosk.code, name="code"),
    path("home/", views_kiosk.home, name="home"),
    path("events/", views_kiosk.events, name="events"),
    path("logout/", views_kiosk.signout, name="logout"),
    path("alive/", views_kiosk.alive, name="alive"),
]
