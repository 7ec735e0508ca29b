from django.urls import include, path

from toancanh.accounts.pages import apikey_pages, user_pages, user_picker

urlpatterns = [
    path("pick/users/", user_picker.as_view(), name="user-picker"),
    path("users/", include(user_pages.urls())),
    path("apikeys/", include(apikey_pages.urls())),
]
