"""Citizens sign in with their phone number and a one-time code sent by text message (through the
pluggable SMS sender of :mod:`notices`; the demo's writes it to the log). Codes live 10 minutes,
allow 5 tries, and at most 3 are sent to one phone in an hour; only their hash is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core import audit
from toancanh.core.errors import ServiceError
from toancanh.core.sql import lock_names
from toancanh.feedback.models import PhoneCode
from toancanh.feedback.notices import sms_sender
from toancanh.feedback.services import Throttled

CODE_LIFE = dt.timedelta(minutes=10)
MAX_TRIES = 5
MAX_CODES_PER_HOUR = 3


def _hash(phone: str, code: str) -> str:
    return hashlib.sha256(f"{phone}:{code}".encode()).hexdigest()


def normalise(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not (len(digits) == 10 and digits.startswith("0")):
        raise ServiceError(gettext("enter a Vietnamese mobile number of 10 digits, e.g. 0905123456"))
    return digits


def send_code(phone: str, now: dt.datetime | None = None) -> str:
    """Send a fresh code to ``phone``; returns the normalised number."""
    phone = normalise(phone)
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():  # counted and stored under the phone's lock: processes take turns
        lock_names(f"feedback.code:{phone}")
        if (
            PhoneCode.objects.filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1)).count()
            >= MAX_CODES_PER_HOUR
        ):
            raise Throttled(gettext("too many codes were sent to this number; try again in an hour"))
        PhoneCode.objects.create(phone=phone, code_hash=_hash(phone, code), created_at=now, expires_at=now + CODE_LIFE)
    sms_sender().send(phone, f"Ma xac nhan Toan Canh: {code} (hieu luc 10 phut)")
    return phone


def check_code(phone: str, code: str, now: dt.datetime | None = None):
    """The citizen account of ``phone`` (created on first sign-in) when ``code`` is right."""
    from toancanh.accounts.models import User
    from toancanh.accounts.services import create_citizen

    phone = normalise(phone)
    now = now or timezone.now()
    with transaction.atomic():
        row = (PhoneCode.objects.select_for_update().filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
               .order_by("-created_at").first())  # fmt: skip
        if row is None or row.attempts >= MAX_TRIES:
            raise ServiceError(gettext("the code has expired: ask for a new one"))
        wrong = row.code_hash != _hash(phone, (code or "").strip())
        if wrong:  # the try is counted (kept: no exception inside the transaction)
            PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
    if wrong:
        raise ServiceError(gettext("the code is not right"))
    with transaction.atomic():
        if not PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise ServiceError(gettext("the code has expired: ask for a new one"))
        row.used_at = now
        user = User.objects.filter(kind="citizen", phone=phone).first()
        if user is None:
            user = create_citizen(username=f"sdt{phone}", password=secrets.token_urlsafe(24), phone=phone)
        if not user.is_active:
            raise ServiceError(gettext("this account is locked"))
        audit.record("citizens.phone_login", user, by=user)
    return user


def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone number; step 2: the code."""
    step, phone, error = "phone", request.POST.get("phone", ""), ""
    if request.method == "POST":
        try:
            if "code" in request.POST:
                user = check_code(phone, request.POST["code"])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("/phan-anh/")
            phone = send_code(phone)
            step = "code"
        except ServiceError as exc:
            error = exc.message
            step = "code" if "code" in request.POST else "phone"
    return render(request, "feedback/citizen/sign_in.html", {"step": step, "phone": phone, "error": error})
