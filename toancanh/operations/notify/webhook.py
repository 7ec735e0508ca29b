"""Webhooks: a JSON POST signed with HMAC-SHA256, so the receiver can check it came from us.

Headers: ``X-Toancanh-Timestamp`` (Unix seconds) and ``X-Toancanh-Signature: sha256=<hex>``
of ``timestamp + "." + body`` with the channel's secret. A receiver that answers 4xx is refused
for good (except 408 and 429); 5xx, timeouts and broken connections are retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from pydantic import BaseModel, Field

from toancanh.operations.notify.base import Message, Sender, SendError


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Webhook(Sender):
    public_fields = frozenset({"timeout"})

    class Config(BaseModel):
        model_config = {"extra": "forbid"}
        secret: str = Field(..., min_length=16)
        timeout: float = Field(5, gt=0, le=30)

    def send(self, message: Message) -> None:
        if not message.address.startswith(("http://", "https://")):
            raise SendError(f"'{message.address}' is not an http(s) URL", permanent=True)
        body = json.dumps({"subject": message.subject, "body": message.body, **message.payload}, ensure_ascii=False,
                          default=str).encode()  # fmt: skip
        ts = str(int(time.time()))
        request = urllib.request.Request(message.address, data=body, method="POST", headers={  # noqa: S310 - http(s) only
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "ToanCanh-Webhook/1",
            "X-Toancanh-Timestamp": ts, "X-Toancanh-Signature": signature(self.config.secret, ts, body),
        })  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                response.read(1024)
        except urllib.error.HTTPError as exc:
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise SendError(f"HTTP {exc.code} from the receiver", permanent=permanent) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SendError(f"receiver unreachable: {getattr(exc, 'reason', exc)}") from exc
