"""What every sender shares: the message, the error that says whether retrying can help, the
per-channel configuration checked by pydantic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.utils.translation import gettext
from pydantic import BaseModel

from toancanh.core.errors import validated


@dataclass
class Message:
    address: str
    subject: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None


class SendError(Exception):
    """A message that did not go. ``permanent`` when retrying cannot help (a bad address, a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def redact_url(value: str) -> str:
    """A URL without what may carry credentials: user and password, path, query and fragment."""
    parts = urlsplit(value)
    if not parts.scheme or not parts.hostname:
        return "***"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}/…"


def mask_address(value: str) -> str:
    """An address as lists may show it: enough to recognise, not to use or to leak credentials
    (``n…@danang.gov.vn``, ``•••••••123``, a URL without its user, path and query)."""
    value = (value or "").strip()
    if not value:
        return ""
    if "://" in value:
        return redact_url(value)
    if "@" in value:
        local, _at, domain = value.rpartition("@")
        return f"{local[:1]}…@{domain}"
    if len(value) <= 4:
        return "•" * len(value)
    return "•" * (len(value) - 3) + value[-3:]


def public_config(sender: type[Sender] | None, config: dict[str, Any]) -> dict[str, Any]:
    """A channel's configuration as it may be shown: the sender's public fields (URLs without
    credentials); every other value masked, whatever its name."""
    public = sender.public_fields if sender else frozenset()
    out: dict[str, Any] = {}
    for key, value in (config or {}).items():
        if key not in public:
            out[key] = "***" if value not in ("", None) else value
        elif isinstance(value, str) and "://" in value:
            out[key] = redact_url(value)
        else:
            out[key] = value
    return out


class Sender:
    """A way of sending; subclasses set ``Config`` and implement ``send``."""

    Config: ClassVar[type[BaseModel]]
    # Configuration fields that are no secret and may be shown; every other value is masked.
    public_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, config: dict[str, Any]):
        self.config = self.check(config)

    @classmethod
    def check(cls, config: dict[str, Any]) -> BaseModel:
        return validated(cls.Config, config or {}, gettext("channel configuration refused: %(reason)s"))

    def send(self, message: Message) -> None:
        raise NotImplementedError
