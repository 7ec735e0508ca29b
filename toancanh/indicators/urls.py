from django.urls import path

from toancanh.indicators import views

urlpatterns = [
    path("", views.overview, name="indicators"),
    path("<str:code>/", views.indicator_page, name="indicator"),
]
