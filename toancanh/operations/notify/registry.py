"""Which sender serves which channel kind."""

from __future__ import annotations

from toancanh.operations.notify.base import Sender
from toancanh.operations.notify.email import Email
from toancanh.operations.notify.in_app import InApp
from toancanh.operations.notify.sms import Sms, Zalo
from toancanh.operations.notify.webhook import Webhook

SENDERS: dict[str, type[Sender]] = {"in_app": InApp, "email": Email, "webhook": Webhook, "sms": Sms, "zalo": Zalo}


def sender_for(kind: str, config: dict) -> Sender:
    return SENDERS[kind](config)
