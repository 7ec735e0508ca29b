"""A sender: writes each message as one line to a file (stand-in for a port's loudspeaker system)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from toancanh.packs.api import Message, Sender, SenderKind, SendError


class LoudspeakerConfig(BaseModel):
    model_config = {"extra": "forbid"}
    path: str = Field(..., min_length=1, max_length=500)


class Loudspeaker(Sender):
    Config = LoudspeakerConfig

    def send(self, message: Message) -> None:
        try:
            with Path(self.config.path).open("a", encoding="utf-8") as f:
                f.write(f"{message.subject}\n")
        except OSError as exc:
            raise SendError(str(exc), permanent=False) from exc


SENDERS = [SenderKind("loudspeaker", _("Harbour loudspeaker"), Loudspeaker)]
