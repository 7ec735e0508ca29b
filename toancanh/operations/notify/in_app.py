"""In the app: a row the user sees in their notifications."""

from __future__ import annotations

from pydantic import BaseModel

from toancanh.operations.notify.base import Message, Sender, SendError


class InApp(Sender):
    class Config(BaseModel):
        model_config = {"extra": "forbid"}

    def send(self, message: Message) -> None:
        from toancanh.operations.models import InAppNotification

        if message.user_id is None:
            raise SendError("an in-app notification needs a user", permanent=True)
        InAppNotification.objects.create(user_id=message.user_id, title=message.subject[:200], body=message.body,
                                         link=message.payload.get("link", ""))  # fmt: skip
