"""E-mail over SMTP (with STARTTLS and login when configured)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from pydantic import BaseModel, Field

from toancanh.operations.notify.base import Message, Sender, SendError


class Email(Sender):
    public_fields = frozenset({"host", "port", "sender", "starttls", "timeout"})

    class Config(BaseModel):
        model_config = {"extra": "forbid"}
        host: str
        port: int = Field(25, ge=1, le=65535)
        sender: str = Field(..., pattern=r"^[^@\s]+@[^@\s]+$")
        username: str = ""
        password: str = ""
        starttls: bool = False
        timeout: float = Field(10, gt=0, le=60)

    def send(self, message: Message) -> None:
        if "@" not in message.address:
            raise SendError(f"'{message.address}' is not an e-mail address", permanent=True)
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.config.sender, message.address, message.subject
        mail.set_content(message.body)
        try:
            with smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout) as smtp:
                if self.config.starttls:
                    smtp.starttls()
                if self.config.username:
                    smtp.login(self.config.username, self.config.password)
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"recipient refused: {exc}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"SMTP: {exc}") from exc
