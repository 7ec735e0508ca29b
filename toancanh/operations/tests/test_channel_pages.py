"""Administrators define notification channels and subscriptions on pages: the configuration asked
field by field, secrets never shown back (nor lost when editing), addresses masked, a test sent
with the receiver's answer shown."""

from __future__ import annotations

import re

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.operations.models import Channel, InAppNotification, Subscription
from toancanh.operations.notify.base import mask_address
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db
SECRET = "rat-bi-mat-0123456789"


@pytest.fixture
def admin_user():
    return StaffFactory(role="admin", unit=Unit.objects.get(key="vn34-p48"))


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_webhook_channels_secret_is_never_shown_and_kept_when_editing(admin):
    page = admin.get("/channels/new/?kind=webhook").content.decode()
    assert 'name="c_secret"' in page and 'type="password"' in page
    response = admin.post("/channels/new/", {"kind": "webhook", "name": "Webhook PCTT", "c_secret": SECRET,
                                             "c_timeout": "5", "active": "on"})  # fmt: skip
    channel = Channel.objects.get(name="Webhook PCTT")
    assert response.status_code == 302 and channel.config["secret"] == SECRET
    for url in (f"/channels/{channel.pk}/", f"/channels/{channel.pk}/edit/", "/channels/", "/channels/?export=csv"):
        assert SECRET not in admin.get(url).content.decode()
    admin.post(f"/channels/{channel.pk}/edit/", {"c_secret": "", "c_timeout": "7", "active": "on"})
    channel.refresh_from_db()
    assert channel.config == {"secret": SECRET, "timeout": 7.0}


def test_a_bad_configuration_is_refused_with_the_form_kept(admin):
    html = admin.post("/channels/new/", {"kind": "webhook", "name": "Webhook ngắn", "c_secret": "ngan",
                                         "c_timeout": "5"}).content.decode()  # fmt: skip
    assert 'data-testid="form-errors"' in html and 'value="Webhook ngắn"' in html
    assert not Channel.objects.filter(name="Webhook ngắn").exists()


def test_a_test_on_an_in_app_channel_reaches_the_administrator(admin, admin_user):
    channel = Channel.objects.create(name="Trong ứng dụng", kind="in_app")
    response = admin.post(f"/channels/{channel.pk}/test/", {"address": ""})
    assert response.status_code == 302
    assert InAppNotification.objects.filter(user=admin_user, title__startswith="Tin nhắn thử").exists()
    channel.refresh_from_db()
    assert channel.last_success_at is not None


def test_a_failed_test_shows_what_the_receiver_answered(admin):
    channel = Channel.objects.create(name="Webhook hỏng", kind="webhook", config={"secret": SECRET, "timeout": 1})
    html = admin.post(f"/channels/{channel.pk}/test/", {"address": "http://127.0.0.1:9/hook"}).content.decode()
    assert 'data-testid="form-errors"' in html and "unreachable" in html
    channel.refresh_from_db()
    assert channel.last_error


def test_a_subscription_is_made_from_the_page_and_its_address_is_masked(admin):
    channel = Channel.objects.create(name="SMS", kind="sms", config={"endpoint": "https://sms.example/api"})
    response = admin.post("/subscriptions/new/", {"channel": channel.pk, "unit": "vn34-c20779",
                                                  "address": "0905123456", "sectors": ["environment"],
                                                  "min_severity": "Severe"})  # fmt: skip
    sub = Subscription.objects.get()
    assert response.status_code == 302 and sub.sectors == ["environment"] and sub.unit.key == "vn34-c20779"
    listing = admin.get("/subscriptions/").content.decode()
    assert "0905123456" not in listing and "•••••••456" in listing
    html = admin.post("/subscriptions/new/", {"channel": channel.pk, "unit": "vn34-c20779",
                                              "min_severity": "Severe"}).content.decode()  # fmt: skip
    assert 'data-testid="error-address"' in html


def test_a_subscription_is_changed_from_its_page_with_the_same_checks_and_audited(admin):
    from toancanh.core.models import AuditEntry

    channel = Channel.objects.create(name="SMS", kind="sms", config={"endpoint": "https://sms.example/api"})
    admin.post("/subscriptions/new/", {"channel": channel.pk, "unit": "vn34-c20779", "address": "0905123456",
                                       "sectors": ["environment"], "min_severity": "Severe"})  # fmt: skip
    sub = Subscription.objects.get()
    form = admin.get(f"/subscriptions/{sub.pk}/edit/").content.decode()
    assert 'name="address" value="0905123456"' in form
    assert re.search(r'value="environment" id="[^"]+" checked', form)
    response = admin.post(f"/subscriptions/{sub.pk}/edit/", {
        "channel": channel.pk, "unit": "vn34-p48", "address": "0905123456", "sectors": ["environment", "health"],
        "min_severity": "Moderate", "escalations_only": "on"})  # fmt: skip
    sub.refresh_from_db()
    assert response.status_code == 302 and Subscription.objects.count() == 1
    assert (sub.unit.key, sorted(sub.sectors), sub.min_severity, sub.escalations_only) == (
        "vn34-p48", ["environment", "health"], "Moderate", True)  # fmt: skip
    assert AuditEntry.objects.filter(action="subscriptions.update").exists()
    # Nothing is changed by a form with an error, and what was typed stays.
    html = admin.post(f"/subscriptions/{sub.pk}/edit/", {"channel": channel.pk, "unit": "vn34-p48",
                                                         "min_severity": "Severe"}).content.decode()  # fmt: skip
    sub.refresh_from_db()
    assert 'data-testid="error-address"' in html and sub.min_severity == "Moderate"


def test_addresses_are_masked_whatever_they_are():
    assert mask_address("nguyen.van.a@danang.gov.vn") == "n…@danang.gov.vn"
    assert mask_address("https://user:pw@hooks.example:8443/x?token=1") == "https://hooks.example:8443/…"
    assert mask_address("0905123456") == "•••••••456"


def test_an_operator_cannot_manage_channels(client):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    assert client.get("/channels/").status_code == 403 and client.get("/subscriptions/").status_code == 403


def test_the_demo_channels_are_the_provinces_and_its_administrator_manages_them(admin):
    from toancanh.operations import demo

    demo.channels()
    channel = Channel.objects.get(kind="email")
    assert channel.unit.key == "vn34-p48"
    html = admin.get(f"/channels/{channel.pk}/").content.decode()
    assert "mat-khau-demo" not in html and "mail.danang.gov.vn" in html
    assert admin.get(f"/channels/{channel.pk}/edit/").status_code == 200
    admin.post(f"/channels/{channel.pk}/disable/")
    channel.refresh_from_db()
    assert not channel.active and channel.config["password"] == "mat-khau-demo"


def test_a_system_wide_channel_is_not_changed_by_a_provincial_administrator(admin):
    channel = Channel.objects.create(name="Toàn hệ thống", kind="in_app")
    assert admin.get(f"/channels/{channel.pk}/edit/").status_code == 404
    admin.post(f"/channels/{channel.pk}/disable/")
    channel.refresh_from_db()
    assert channel.active
