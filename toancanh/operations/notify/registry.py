"""Which sender serves which channel kind: the built-in ones, declared in the registry beside
those that packs add."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from toancanh.core.errors import ServiceError
from toancanh.core.registry import SenderKind, registry
from toancanh.operations.notify.base import Sender
from toancanh.operations.notify.email import Email
from toancanh.operations.notify.in_app import InApp
from toancanh.operations.notify.sms import Sms, Zalo
from toancanh.operations.notify.webhook import Webhook

BUILT_IN = (
    SenderKind("in_app", _("In the application"), InApp),
    SenderKind("email", _("E-mail"), Email),
    SenderKind("webhook", _("Webhook"), Webhook),
    SenderKind("sms", _("SMS"), Sms),
    SenderKind("zalo", _("Zalo"), Zalo),
)


def sender_kind(kind: str) -> SenderKind:
    found = registry.get(SenderKind, kind)
    if found is None:
        raise ServiceError(
            gettext("unknown channel kind '%(code)s' (one of: %(kinds)s)")
            % {"code": kind, "kinds": ", ".join(registry.codes(SenderKind))}
        )
    return found


def sender_for(kind: str, config: dict) -> Sender:
    return sender_kind(kind).sender(config)
