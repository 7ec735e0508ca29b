"""Operations: events, alert rules and alerts, situations with standard procedures, public warnings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from toancanh.core.scoping import Scope, ScopedQuerySet, ancestor_paths


class Severity(models.TextChoices):
    """CAP 1.2 severity (OASIS Common Alerting Protocol, section 3.2.2)."""

    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")
    UNKNOWN = "Unknown", _("Unknown")


SEVERITY_RANK = {"Extreme": 4, "Severe": 3, "Moderate": 2, "Minor": 1, "Unknown": 0}


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Immediate")
    EXPECTED = "Expected", _("Expected")
    FUTURE = "Future", _("Future")
    PAST = "Past", _("Past")
    UNKNOWN = "Unknown", _("Unknown")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("Observed")
    LIKELY = "Likely", _("Likely")
    POSSIBLE = "Possible", _("Possible")
    UNLIKELY = "Unlikely", _("Unlikely")
    UNKNOWN = "Unknown", _("Unknown")


class EventQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_sector = "sector"


class Event(models.Model):
    """Something that happened (sự kiện): a reading over a threshold, a vessel crossing a line, a
    report overdue, an attack detected. ``source`` + ``source_id`` make delivery idempotent."""

    source = models.CharField(max_length=80)
    source_id = models.CharField(max_length=120)
    sector = models.ForeignKey("core.Sector", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=80, db_index=True)
    subject = models.CharField(max_length=120, blank=True, help_text="what it is about: a station, a vessel …")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.UNKNOWN)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.UNKNOWN)
    certainty = models.CharField(max_length=10, choices=Certainty.choices, default=Certainty.UNKNOWN)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry of the area, if not a point")
    occurred_at = models.DateTimeField(db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="event_source_unique")]

    def __str__(self) -> str:
        return f"{self.type} {self.source}:{self.source_id}"


class AlertRuleQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_sector = "sector"


class AlertRule(models.Model):
    """An alert rule (quy tắc cảnh báo), defined by administrators without code."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, help_text="a rule kind from the registry (built in or from a pack)")
    sector = models.ForeignKey("core.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(max_length=80, blank=True, help_text="only events of this type ('' = any)")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", help_text="the rule's scope")
    params = models.JSONField(default=dict)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MODERATE)
    cooldown_seconds = models.PositiveIntegerField(default=900, help_text="after clearing, stay quiet this long")
    clear_after_seconds = models.PositiveIntegerField(
        default=0, help_text="clear when quiet this long (0 = by condition)"
    )
    open_situation = models.BooleanField(default=False, help_text="open a situation automatically")
    escalate_after_seconds = models.PositiveIntegerField(
        default=0, help_text="escalate an alert nobody acknowledged within this time (0 = never)"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertRuleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RuleState(models.Model):
    """What one rule remembers about one key (a station, a vessel, a commune): when a condition
    began, the recent readings of its window, whether it is firing. Kept in the database so that a
    restart, an edit of another rule or a second worker neither loses nor splits it."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="states")
    key = models.CharField(max_length=200)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="one_state_per_rule_key")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.key}"


class PartitionLease(models.Model):
    """Which worker handles which partition of the event stream (and, under ``worker:<id>``, which
    workers are alive), until ``expires_at``: the owner renews it; another takes it over after."""

    name = models.CharField(max_length=120, unique=True)
    owner = models.CharField(max_length=120)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} → {self.owner}"


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLEARED = "cleared", _("Cleared")


class AlertQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_sector = "rule__sector"


class Alert(models.Model):
    """An alert (cảnh báo): one per rule and problem (its key), however many events repeat it."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    key = models.CharField(max_length=200, help_text="what the alert is about: a station, a vessel, a commune …")
    state = models.CharField(max_length=14, choices=AlertState.choices, default=AlertState.OPEN)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    message = models.CharField(max_length=300)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=150, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.CharField(max_length=150, blank=True, help_text="who cleared it by hand ('' = by its rule)")
    clear_reason = models.CharField(max_length=300, blank=True, help_text="why it was cleared by hand")
    escalated_at = models.DateTimeField(null=True, blank=True)
    last_event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    situation = models.ForeignKey("Situation", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"], condition=~models.Q(state="cleared"), name="one_live_alert_per_rule_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule.name}: {self.key}"


class SituationType(models.Model):
    """A kind of situation with its standard operating procedure (quy trình xử lý): ordered steps,
    each with the role or agency that owns it and a deadline after the situation opens."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    sector = models.ForeignKey("core.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    steps = models.JSONField(default=list, help_text='[{"title": …, "owner": …, "due_minutes": …}]')
    active = models.BooleanField(default=True, help_text="offered when a situation is opened")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SituationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class SituationQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_agency = "lead_agency"
    scope_sector = "sector"


class Situation(models.Model):
    """A situation (tình huống) that operators handle until it is closed."""

    title = models.CharField(max_length=200)
    type = models.ForeignKey(SituationType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("core.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=14, choices=SituationStatus.choices, default=SituationStatus.OPEN)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lead_agency = models.ForeignKey("units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignees = models.ManyToManyField("accounts.User", blank=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SituationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title


class SituationStep(models.Model):
    """One step of the procedure, started with the situation."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=120, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class TimelineEntry(models.Model):
    """Everything done and said about a situation, in order."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=150)
    kind = models.CharField(max_length=30)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.kind}"


def _attachment_path(instance: SituationAttachment, filename: str) -> str:
    return f"situations/{instance.situation_id}/{filename}"


class SituationAttachment(models.Model):
    """A file attached to a situation: a photo from the field, a report, a map."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class WarningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by an update")
    CANCELLED = "cancelled", _("Cancelled")


class MessageType(models.TextChoices):
    """CAP 1.2 msgType: the first message of a warning, a later version of it, or its cancellation."""

    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")


class PublicWarningQuerySet(ScopedQuerySet):
    scope_unit_path = "units__path"


class PublicWarning(models.Model):
    """A public warning (cảnh báo công khai) published as a CAP 1.2 message. Each message is a row
    with its own identifier and ``sent``: an Update or a Cancel is a new message that points to the
    one it replaces (``previous``); CAP ``references`` lists the whole chain (CAP 1.2 §3.2.1)."""

    identifier = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=WarningStatus.choices, default=WarningStatus.DRAFT)
    msg_type = models.CharField(max_length=6, choices=MessageType.choices, default=MessageType.ALERT)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="the message this replaces"
    )
    category = models.CharField(max_length=10, default="Safety", help_text="CAP category: Geo, Met, Safety …")
    event = models.CharField(max_length=120)
    event_en = models.CharField(max_length=120)
    headline = models.CharField(max_length=200)
    headline_en = models.CharField(max_length=200)
    description = models.TextField()
    description_en = models.TextField()
    instruction = models.TextField(blank=True)
    instruction_en = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    certainty = models.CharField(max_length=10, choices=Certainty.choices)
    units = models.ManyToManyField("units.Unit", related_name="+")
    area = models.JSONField(
        null=True,
        blank=True,
        help_text="a polygon drawn on the map, within the units, when it covers less than they do",
    )
    situation = models.ForeignKey(Situation, null=True, blank=True, on_delete=models.SET_NULL, related_name="warnings")
    sent_at = models.DateTimeField(null=True, blank=True)
    onset_at = models.DateTimeField(null=True, blank=True, help_text="when the hazard is expected to begin")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicWarningQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-created_at"]

    def __str__(self) -> str:
        return self.headline


# --- notifications -----------------------------------------------------------------------------------


class ChannelKind(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class ChannelQuerySet(ScopedQuerySet):
    """Channels a principal may use: those of its units' subtrees, those its units inherit from
    above (a province's channels serve its communes) and the system-wide ones (no unit)."""

    scope_unit_path = "unit__path"

    def scope_filter(self, scope: Scope) -> models.Q | None:
        q = super().scope_filter(scope)
        if q is None or not q:
            return q
        above = {a for p in scope.unit_paths for a in ancestor_paths(p)}
        return q | models.Q(unit__isnull=True) | models.Q(unit__path__in=sorted(above))


class Channel(models.Model):
    """A way to reach people (kênh thông báo), with its configuration and its health."""

    name = models.CharField(max_length=100, unique=True)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="whose channel it is: it serves this unit's subtree (none: the whole system)",
    )  # fmt: skip
    kind = models.CharField(max_length=40, help_text="a sender kind from the registry (built in or from a pack)")
    config = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    objects = ChannelQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class SubscriptionQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"


class Subscription(models.Model):
    """Who hears of what: alerts and situations of a unit subtree, some sectors, a severity and up."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=300, blank=True, help_text="e-mail, phone, URL or Zalo id")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    sectors = models.JSONField(default=list, blank=True, help_text="sector codes ([] = all)")
    min_severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MODERATE)
    escalations_only = models.BooleanField(default=False, help_text="only alerts escalated for want of a response")
    active = models.BooleanField(default=True)

    objects = SubscriptionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.channel} → {self.address or self.user}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Given up")


class Delivery(models.Model):
    """One message to one subscriber: a job row with its attempts and last error (nothing is fire-and-forget)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    reason = models.CharField(max_length=20, default="raised", help_text="raised, escalated, situation")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "alert", "reason"], name="one_delivery_per_alert_reason")
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"


class InAppNotification(models.Model):
    """A notification shown in the app (thông báo)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
