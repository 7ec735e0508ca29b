"""SMS and Zalo through an HTTP gateway the province contracts (brandname SMS providers and the
Zalo Official Account API both take a JSON POST with a token). The endpoint, token and field
names are configuration, so a province plugs in its own provider without code."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from pydantic import BaseModel, Field

from toancanh.operations.notify.base import Message, Sender, SendError


class HttpGateway(Sender):
    public_fields = frozenset({"endpoint", "token_header", "to_field", "text_field", "max_length", "timeout"})

    class Config(BaseModel):
        model_config = {"extra": "forbid"}
        endpoint: str = Field(..., pattern=r"^https?://")
        token: str = ""
        token_header: str = "Authorization"
        to_field: str = "to"
        text_field: str = "text"
        max_length: int = Field(480, ge=70, le=2000)
        timeout: float = Field(10, gt=0, le=30)

    def send(self, message: Message) -> None:
        text = f"{message.subject}. {message.body}"[: self.config.max_length]
        body = json.dumps(
            {self.config.to_field: message.address, self.config.text_field: text}, ensure_ascii=False
        ).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.config.token:
            headers[self.config.token_header] = self.config.token
        request = urllib.request.Request(self.config.endpoint, data=body, method="POST", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                response.read(1024)
        except urllib.error.HTTPError as exc:
            raise SendError(
                f"gateway answered HTTP {exc.code}", permanent=400 <= exc.code < 500 and exc.code != 429
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SendError(f"gateway unreachable: {getattr(exc, 'reason', exc)}") from exc


class Sms(HttpGateway):
    pass


class Zalo(HttpGateway):
    pass
