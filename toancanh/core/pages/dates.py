"""Dates and times in forms as Vietnamese write them: ``dd/mm/yyyy`` and ``dd/mm/yyyy HH:MM`` (24 h),
typed in a text box that shows the same thing in every browser.

A native ``<input type="date">`` shows the date in the format of the *browser's* language (10/05/2026
to an English browser for the 5th of October), whatever the language of the page, so the forms use a
text box with a placeholder and a numeric keyboard on phones. ISO dates (``2026-10-05``,
``2026-10-05T08:30``) are still accepted, for people who paste them.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_INPUTS = [DATE_FORMAT, "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUTS = [
    DATETIME_FORMAT, "%d/%m/%Y %H:%M:%S", "%H:%M %d/%m/%Y", "%d/%m/%Y %Hh%M", "%d-%m-%Y %H:%M",
    "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
]  # fmt: skip
DATE_PLACEHOLDER = "dd/mm/yyyy"
DATETIME_PLACEHOLDER = "dd/mm/yyyy hh:mm"


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off", "size": 12,
                "pattern": r"\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\s*|\s*\d{4}-\d{2}-\d{2}\s*", "class": "date-input"}  # fmt: skip
        super().__init__(attrs=base | (attrs or {}), format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    """A date and a time typed as dd/mm/yyyy HH:MM (24 hours)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": DATETIME_PLACEHOLDER, "autocomplete": "off", "size": 18, "class": "date-input"}
        super().__init__(attrs=base | (attrs or {}), format=DATETIME_FORMAT)


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUTS
    default_error_messages = {"invalid": gettext_lazy("Enter a date as dd/mm/yyyy, e.g. 05/10/2026.")}


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    input_formats = DATETIME_INPUTS
    default_error_messages = {
        "invalid": gettext_lazy("Enter a date and a time as dd/mm/yyyy hh:mm, e.g. 05/10/2026 14:30.")
    }
