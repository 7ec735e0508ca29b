"""What every sender shares: the message, the error that says whether retrying can help, the
per-channel configuration checked by pydantic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from toancanh.core.errors import ServiceError, describe_validation


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


class Sender:
    """A way of sending; subclasses set ``Config`` and implement ``send``."""

    Config: ClassVar[type[BaseModel]]

    def __init__(self, config: dict[str, Any]):
        self.config = self.check(config)

    @classmethod
    def check(cls, config: dict[str, Any]) -> BaseModel:
        try:
            return cls.Config.model_validate(config or {})
        except ValidationError as exc:
            raise ServiceError(f"channel configuration refused: {describe_validation(exc)}") from exc

    def send(self, message: Message) -> None:
        raise NotImplementedError
