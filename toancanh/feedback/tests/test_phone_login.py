"""Citizens sign in with a phone number and a one-time code sent by the SMS sender."""

from __future__ import annotations

import re

import pytest

from toancanh.core.errors import ServiceError
from toancanh.feedback import phone_login
from toancanh.feedback.notices import ConsoleSms
from toancanh.feedback.services import Throttled


def _last_code(phone: str) -> str:
    text = next(t for p, t in reversed(ConsoleSms.sent) if p == phone)
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_a_citizen_signs_in_with_the_code_sent_to_the_phone(client, db):
    r = client.post("/phan-anh/dang-nhap/", {"phone": "+84 905 111 222"})
    assert r.status_code == 200 and 'name="code"' in r.content.decode()
    code = _last_code("0905111222")
    r = client.post("/phan-anh/dang-nhap/", {"phone": "0905111222", "code": code})
    assert r.status_code == 302
    from toancanh.accounts.models import User

    user = User.objects.get(phone="0905111222")
    assert user.kind == "citizen" and not user.role
    assert client.get("/phan-anh/").context["user"] == user
    with pytest.raises(ServiceError):  # a code is used once
        phone_login.check_code("0905111222", code)


def test_wrong_codes_run_out_and_codes_are_rationed(db):
    phone_login.send_code("0905333444")
    for _ in range(phone_login.MAX_TRIES):
        with pytest.raises(ServiceError):
            phone_login.check_code("0905333444", "000000" if _last_code("0905333444") != "000000" else "111111")
    with pytest.raises(ServiceError):
        phone_login.check_code("0905333444", _last_code("0905333444"))  # too many tries: ask again
    phone_login.send_code("0905333444")
    phone_login.send_code("0905333444")
    with pytest.raises(Throttled):
        phone_login.send_code("0905333444")
    with pytest.raises(ServiceError):
        phone_login.send_code("12345")
