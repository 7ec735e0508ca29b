"""Default alert rules of the government pack, on its own events (:mod:`events`): a dossier overdue
by days, an agency's on-time rate this month below a threshold, a task assigned by the leadership
overdue. Built on the core's threshold rule kind; administrators change the numbers."""

from toancanh.packs.api import DefaultRule

DEFAULT_RULES = [
    DefaultRule(
        "gov-dossier-overdue", "Hồ sơ TTHC quá hạn", "threshold", sector="government", severity="Minor",
        event_type="gov_dossier_overdue", order=10,
        params={"field": "days_overdue", "op": ">=", "value": 3, "label": "Số ngày quá hạn", "measure": "ngày"},
    ),
    DefaultRule(
        "gov-agency-on-time-low", "Tỷ lệ hồ sơ đúng hạn của cơ quan thấp", "threshold", sector="government",
        severity="Moderate", event_type="gov_agency_status", order=20,
        params={"field": "on_time_rate", "op": "<", "value": 90, "label": "Tỷ lệ đúng hạn", "measure": "%"},
    ),
    DefaultRule(
        "gov-task-overdue", "Nhiệm vụ được giao quá hạn", "threshold", sector="government", severity="Moderate",
        event_type="gov_task_overdue", order=30,
        params={"field": "days_overdue", "op": ">=", "value": 1, "label": "Số ngày quá hạn", "measure": "ngày"},
    ),
]  # fmt: skip
