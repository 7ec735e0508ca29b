"""Signing in to the pages: sessions, throttling, citizens kept out of staff pages."""

from __future__ import annotations

import pytest
from django.test import override_settings

from toancanh.accounts.tests.factories import PASSWORD, CitizenFactory, StaffFactory
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return StaffFactory(username="lanhdao", role="leader", unit=Unit.objects.get(key="vn34-p48"))


def test_a_leader_signs_in_and_lands_on_the_province(client, leader):
    response = client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thành phố Đà Nẵng" in page
    assert "Phạm vi" in page  # the header shows the scope, in Vietnamese by default


def test_a_wrong_password_says_so_in_vietnamese(client, leader):
    response = client.post("/accounts/login/", {"username": "lanhdao", "password": "nope"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, leader):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "lanhdao", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_citizen_is_kept_out_of_staff_pages(client):
    citizen = CitizenFactory()
    client.force_login(citizen)
    response = client.get("/units/vn34-p48/")
    assert response.status_code == 403
    assert client.get("/api/v1/agencies").status_code == 403


def test_english_is_available(client, leader):
    client.force_login(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/units/vn34-c20779/").content.decode()
    assert "Scope" in page and "Formed from" in page
