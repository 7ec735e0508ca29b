"""The page machinery every context's pages are built on (see ``viewset.py``).

Core imports no context: permissions are asked of the principal (``permits(code)``), reads go
through ``Model.objects.visible_to(user)``, writes through the context's services.
"""

from toancanh.core.pages.access import permission_required, permits, staff_required
from toancanh.core.pages.dates import DateField, DateTimeField
from toancanh.core.pages.pickers import PageForm, Picker, PickerField
from toancanh.core.pages.search import Fold, search
from toancanh.core.pages.viewset import Act, Bulk, Column, Filter, PageSet, show

__all__ = [
    "Act",
    "Bulk",
    "Column",
    "DateField",
    "DateTimeField",
    "Filter",
    "Fold",
    "PageForm",
    "PageSet",
    "Picker",
    "PickerField",
    "permission_required",
    "permits",
    "search",
    "show",
    "staff_required",
]
