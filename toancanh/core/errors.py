"""Errors raised by services. API handlers and the CLI turn them into clear answers."""

from __future__ import annotations

from dataclasses import dataclass, field


class ServiceError(Exception):
    """A request that cannot be carried out as asked; the message says why (HTTP 400)."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """An object that does not exist or is outside the caller's scope (HTTP 404)."""

    status = 404


class Forbidden(ServiceError):
    """The caller's role does not allow the act (HTTP 403)."""

    status = 403


@dataclass
class RowError:
    row: int | str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class ImportRejected(ServiceError):
    """An all-or-nothing import refused: nothing was written. Each error names its row."""

    errors: list[RowError] = field(default_factory=list)
    what: str = "import"

    def __post_init__(self) -> None:
        lines = "\n".join(f"  - {e}" for e in self.errors[:50])
        more = f"\n  … and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        ServiceError.__init__(
            self, f"{self.what} refused, nothing was stored ({len(self.errors)} errors):\n{lines}{more}"
        )


def full_clean_or_raise(obj, exclude: list[str] | None = None) -> None:
    """Run a model's validation; turn Django's ValidationError into a ServiceError that names the fields."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        parts = [f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in exc.message_dict.items()]
        raise ServiceError("; ".join(parts)) from exc


def describe_validation(exc) -> str:
    """A pydantic ValidationError as one readable line: 'field.sub: message; other: message'."""
    return "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors())
