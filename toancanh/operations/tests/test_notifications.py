"""Notifications: subscriptions, signed webhooks, e-mail, retries with back-off, slow receivers,
escalation of unanswered alerts. Receivers are real local servers."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest
from django.utils import timezone

from toancanh.core.scoping import Scope
from toancanh.operations import engine, notifications, services
from toancanh.operations.models import Alert, Delivery, InAppNotification, Subscription
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db
SECRET = "s3cret-shared-with-the-receiver"


class Receiver(http.server.BaseHTTPRequestHandler):
    behaviour = "ok"  # ok, fail, hang
    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.behaviour == "hang":
            time.sleep(3)
        type(self).received.append((self.path, dict(self.headers), body))
        self.send_response(500 if self.behaviour == "fail" else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _server(behaviour):
    handler = type(f"R{behaviour}", (Receiver,), {"behaviour": behaviour, "received": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


@pytest.fixture(autouse=True)
def fresh_engine():
    engine.reset()
    yield
    engine.reset()


def _subscribe(channel, address="", user=None, **kw):
    return Subscription.objects.create(channel=channel, address=address, user=user,
                                       unit=Unit.objects.get(key="vn34-p48"), **kw)  # fmt: skip


def _raise_alert(severity="Moderate", escalate=0):
    services.save_rule(by=None, scope=Scope(everywhere=True), name="Bụi mịn", kind="threshold", unit="vn34-p48",
                       sector_id="environment", params={"field": "pm25", "op": ">", "value": 55.4}, severity=severity,
                       escalate_after_seconds=escalate)  # fmt: skip
    services.ingest_events([{"source": "t", "source_id": "1", "sector": "environment", "type": "aq", "subject": "s",
                             "unit": "vn34-c20779", "occurred_at": timezone.now().isoformat(), "payload": {"pm25": 99}}],
                           by=None, scope=Scope(everywhere=True))  # fmt: skip
    return Alert.objects.get()


def test_a_webhook_receives_a_signed_message_once_however_often_the_alert_repeats():
    server, handler = _server("ok")
    channel = notifications.save_channel(name="hook", kind="webhook", config={"secret": SECRET})
    _subscribe(channel, f"http://127.0.0.1:{server.server_port}/ioc")
    alert = _raise_alert()
    notifications.enqueue_for_alert(alert)  # a repeat: quietly nothing new
    assert notifications.deliver_due() == {"sent": 1, "retry": 0, "dead": 0}
    [(path, headers, body)] = handler.received
    expected = "sha256=" + hmac.new(SECRET.encode(), headers["X-Toancanh-Timestamp"].encode() + b"." + body,
                                    hashlib.sha256).hexdigest()  # fmt: skip
    assert headers["X-Toancanh-Signature"] == expected
    assert json.loads(body)["rule"] == "Bụi mịn"
    server.shutdown()


def test_a_failing_receiver_is_retried_with_back_off_then_given_up():
    server, handler = _server("fail")
    channel = notifications.save_channel(name="hook", kind="webhook", config={"secret": SECRET})
    _subscribe(channel, f"http://127.0.0.1:{server.server_port}/")
    _raise_alert()
    now = timezone.now()
    assert notifications.deliver_due(now) == {"sent": 0, "retry": 1, "dead": 0}
    job = Delivery.objects.get()
    assert job.next_attempt_at - now == dt.timedelta(seconds=30) and "HTTP 500" in job.last_error
    assert notifications.deliver_due(now) == {"sent": 0, "retry": 0, "dead": 0}  # not due yet
    for _attempt in range(2, notifications.MAX_ATTEMPTS + 1):
        now = Delivery.objects.get().next_attempt_at
        notifications.deliver_due(now)
    job = Delivery.objects.get()
    assert job.status == "dead" and job.attempts == notifications.MAX_ATTEMPTS
    assert channel.__class__.objects.get(pk=channel.pk).failed_count == notifications.MAX_ATTEMPTS
    server.shutdown()


def test_a_receiver_that_hangs_does_not_hold_up_the_others():
    slow, _ = _server("hang")
    fast, fast_handler = _server("ok")
    hanging = notifications.save_channel(name="slow", kind="webhook", config={"secret": SECRET, "timeout": 1})
    quick = notifications.save_channel(name="fast", kind="webhook", config={"secret": SECRET})
    _subscribe(hanging, f"http://127.0.0.1:{slow.server_port}/")
    _subscribe(quick, f"http://127.0.0.1:{fast.server_port}/")
    _raise_alert()
    started = time.monotonic()
    assert notifications.deliver_due() == {"sent": 1, "retry": 1, "dead": 0}
    assert time.monotonic() - started < 2.5  # the slow one timed out after 1 s, in parallel
    assert len(fast_handler.received) == 1
    slow.shutdown()
    fast.shutdown()


def test_e_mail_goes_through_smtp():
    from aiosmtpd.controller import Controller

    class Box:
        messages: list = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Box()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channel = notifications.save_channel(name="mail", kind="email",
                                             config={"host": "127.0.0.1", "port": port, "sender": "ioc@danang.gov.vn"})  # fmt: skip
        _subscribe(channel, "truc-ban@danang.gov.vn")
        _raise_alert()
        assert notifications.deliver_due()["sent"] == 1
        [envelope] = box.messages
        assert envelope.rcpt_tos == ["truc-ban@danang.gov.vn"]
        assert "Bụi mịn".encode() in envelope.content or b"=?utf-8?" in envelope.content
    finally:
        controller.stop()


def test_subscriptions_filter_by_severity_and_sector():
    from toancanh.accounts.tests.factories import StaffFactory

    user = StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48"))
    app = notifications.save_channel(name="app", kind="in_app", config={})
    _subscribe(app, user=user, min_severity="Severe")
    _subscribe(app, user=user, sectors=["health"])
    _subscribe(app, user=user, sectors=["environment"], min_severity="Minor")
    _raise_alert("Moderate")
    notifications.deliver_due()
    assert InAppNotification.objects.filter(user=user).count() == 1


def test_an_alert_nobody_acknowledges_is_escalated_to_those_who_watch_for_it():
    from toancanh.accounts.tests.factories import StaffFactory

    leader = StaffFactory(role="leader", unit=Unit.objects.get(key="vn34-p48"))
    app = notifications.save_channel(name="app", kind="in_app", config={})
    _subscribe(app, user=leader, escalations_only=True, min_severity="Minor")
    alert = _raise_alert("Moderate", escalate=900)
    services.tick(alert.first_at + dt.timedelta(minutes=10))
    assert not InAppNotification.objects.exists()
    services.tick(alert.first_at + dt.timedelta(minutes=16))
    alert.refresh_from_db()
    assert alert.escalated_at is not None and alert.severity == "Severe"
    assert InAppNotification.objects.get(user=leader).title.startswith("[Severe] Cảnh báo chưa được tiếp nhận")


def test_an_acknowledged_alert_is_not_escalated():
    alert = _raise_alert("Moderate", escalate=60)
    services.acknowledge_alert(alert, by=None)
    assert notifications.escalate_due(alert.first_at + dt.timedelta(hours=1)) == 0


def test_a_channel_with_a_bad_configuration_is_refused():
    from toancanh.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        notifications.save_channel(name="x", kind="webhook", config={"secret": "short"})
    assert "secret" in exc.value.message


def test_a_delivery_claimed_by_a_process_that_died_is_sent_again_after_the_claim_times_out():
    from toancanh.accounts.tests.factories import StaffFactory
    from toancanh.operations.models import DeliveryStatus

    user = StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48"))
    _subscribe(notifications.save_channel(name="app", kind="in_app", config={}), user=user)
    _raise_alert()
    claimed_at = timezone.now()
    Delivery.objects.update(status=DeliveryStatus.SENDING, next_attempt_at=claimed_at)  # then the process died
    assert notifications.deliver_due(claimed_at + dt.timedelta(minutes=1))["sent"] == 0  # maybe still sending
    timeout = dt.timedelta(seconds=notifications.SENDING_TIMEOUT_SECONDS + 1)
    assert notifications.deliver_due(claimed_at + timeout) == {"sent": 1, "retry": 0, "dead": 0, "reclaimed": 1}
    assert InAppNotification.objects.filter(user=user).count() == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT
