"""Errors raised by services. API handlers and the CLI turn them into clear answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_noop

# The nouns that name what was not found (``NotFound.of("situation", 7)``), for the translators.
NOUNS = [
    gettext_noop("channel"), gettext_noop("indicator"), gettext_noop("situation"), gettext_noop("unit"),
    gettext_noop("user"), gettext_noop("rule"), gettext_noop("alert"), gettext_noop("warning"),
    gettext_noop("step"), gettext_noop("attachment"), gettext_noop("notification"), gettext_noop("succession"),
    gettext_noop("boundary import"),
]  # fmt: skip


class ServiceError(Exception):
    """A request that cannot be carried out as asked; the message says why (HTTP 400)."""

    status = 400
    code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError, Http404):
    """An object that does not exist or is outside the caller's scope (HTTP 404; pages show
    their 404 page for it too)."""

    status = 404
    code = "not_found"

    @classmethod
    def of(cls, what: str, ref: object = "") -> NotFound:
        """'<what> <ref> not found', in the caller's language (``what`` is a translatable noun)."""
        from django.utils.translation import gettext

        if ref == "":
            return cls(gettext("%(what)s not found") % {"what": gettext(what)})
        return cls(gettext("%(what)s “%(ref)s” not found") % {"what": gettext(what), "ref": ref})


class Forbidden(ServiceError):
    """The caller's role does not allow the act (HTTP 403)."""

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    """The object's state does not allow the act now, e.g. a report of a closed period (HTTP 409)."""

    status = 409
    code = "conflict"


class BadInput(ServiceError):
    """Input the API refuses before looking at it: malformed, unbounded or not Unicode (HTTP 400)."""


class TooLarge(ServiceError):
    """A request body or file larger than its endpoint takes (HTTP 413)."""

    status = 413
    code = "too_large"


@dataclass
class RowError:
    row: int | str
    message: str

    def __str__(self) -> str:
        from django.utils.translation import gettext

        if isinstance(self.row, int):  # a line of a file
            return gettext("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return f"{self.row}: {self.message}"  # a feature, a named entry


@dataclass
class ImportRejected(ServiceError):
    """An all-or-nothing import refused: nothing was written. Each error names its row."""

    code = "rejected"

    errors: list[RowError] = field(default_factory=list)
    what: str = "import"

    def __post_init__(self) -> None:
        from django.utils.translation import gettext, ngettext

        lines = "\n".join(f"  - {e}" for e in self.errors[:50])
        more = "\n  " + gettext("… and %(n)s more") % {"n": len(self.errors) - 50} if len(self.errors) > 50 else ""
        head = ngettext("%(what)s refused, nothing was stored (%(n)s error):",
                        "%(what)s refused, nothing was stored (%(n)s errors):", len(self.errors))  # fmt: skip
        ServiceError.__init__(self, head % {"what": gettext(self.what), "n": len(self.errors)} + f"\n{lines}{more}")


def full_clean_or_raise(obj, exclude: list[str] | None = None) -> None:
    """Run a model's validation; turn Django's ValidationError into a ServiceError that names the fields."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        parts = [f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in exc.message_dict.items()]
        raise ServiceError("; ".join(parts)) from exc


def describe_validation(exc) -> str:
    """A pydantic ValidationError as one readable line, in the caller's language: 'field.sub: message; …'."""
    from django.utils.translation import gettext

    return "; ".join(
        f"{'.'.join(str(x) for x in e['loc']) or gettext('value')}: {translate_error(e)}" for e in exc.errors()[:20]
    )


def validated(model: Any, data: Any, refusal: str) -> Any:
    """``data`` checked by the pydantic ``model``, or a ServiceError ``refusal`` (a translated text
    with ``%(reason)s``) that says, in the caller's language, what is wrong."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ServiceError(refusal % {"reason": describe_validation(exc)}) from exc


def translate_error(error: dict[str, Any]) -> str:
    """A pydantic error in the caller's language: the common kinds translated, our own validators'
    messages (already translated) kept."""
    from django.utils.translation import gettext

    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    templates = {
        "missing": gettext("is required"),
        "string_too_long": gettext("is longer than %(max_length)s characters"),
        "string_too_short": gettext("is shorter than %(min_length)s characters"),
        "too_long": gettext("has more than %(max_length)s items"),
        "too_short": gettext("has fewer than %(min_length)s items"),
        "greater_than_equal": gettext("must be at least %(ge)s"),
        "less_than_equal": gettext("must be at most %(le)s"),
        "greater_than": gettext("must be more than %(gt)s"),
        "less_than": gettext("must be less than %(lt)s"),
        "int_parsing": gettext("must be a whole number"),
        "int_type": gettext("must be a whole number"),
        "float_parsing": gettext("must be a number"),
        "float_type": gettext("must be a number"),
        "finite_number": gettext("numbers must be finite (no NaN or Infinity)"),
        "string_type": gettext("must be text"),
        "bool_parsing": gettext("must be true or false"),
        "datetime_parsing": gettext("must be a date and time (e.g. 2026-11-21T08:00:00+07:00)"),
        "datetime_from_date_parsing": gettext("must be a date and time (e.g. 2026-11-21T08:00:00+07:00)"),
        "date_parsing": gettext("must be a date (e.g. 2026-11-21)"),
        "date_from_datetime_parsing": gettext("must be a date (e.g. 2026-11-21)"),
        "enum": gettext("must be one of: %(expected)s"),
        "literal_error": gettext("must be one of: %(expected)s"),
        "extra_forbidden": gettext("is not a known field"),
        "dict_type": gettext("must be an object"),
        "list_type": gettext("must be a list"),
        "string_pattern_mismatch": gettext("does not have the expected form"),
        "json_invalid": gettext("the body is not valid JSON (UTF-8)"),
    }
    if kind in templates:
        try:
            return templates[kind] % ctx
        except (KeyError, TypeError, ValueError):
            return templates[kind]
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ")
