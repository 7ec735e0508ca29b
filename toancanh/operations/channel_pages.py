"""Notification channels and subscriptions on the page machinery.

Channels (kênh thông báo): the kind from the registry's sender kinds (built in or from a pack), the
configuration asked field by field from the sender's own pydantic model; secrets are never shown
back (an empty secret field on editing keeps the stored one), and a "send test" act answers with
what the receiver said. Subscriptions: who hears of what (a unit subtree, sectors, a severity and
up), their addresses masked in lists. Writes go through ``operations.notifications``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.accounts.pages import user_picker
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, PickerField, show
from toancanh.operations import notifications
from toancanh.operations.models import Channel, ChannelKind, Severity, Subscription
from toancanh.operations.notify.base import mask_address, public_config
from toancanh.units.pages import SectorsField, unit_picker

RULES_MANAGE = "rules.manage"
CONFIG_LABELS = {
    "host": gettext_lazy("Mail server"), "port": gettext_lazy("Port"), "sender": gettext_lazy("Sender address"),
    "username": gettext_lazy("User name"), "password": gettext_lazy("Password"),
    "starttls": gettext_lazy("Use STARTTLS"), "timeout": gettext_lazy("Time-out (seconds)"),
    "secret": gettext_lazy("Signing secret (16 characters or more)"), "endpoint": gettext_lazy("Gateway address (URL)"),
    "token": gettext_lazy("Access token"), "token_header": gettext_lazy("Header carrying the token"),
    "to_field": gettext_lazy("Field for the recipient"), "text_field": gettext_lazy("Field for the text"),
    "max_length": gettext_lazy("Longest message (characters)"),
}  # fmt: skip


def _kinds() -> list[tuple[str, Any]]:
    from toancanh.core.registry import SenderKind, registry

    return [(k.code, k.label) for k in registry.all(SenderKind)]


def _sender(kind: str):
    from toancanh.core.registry import SenderKind, registry

    found = registry.get(SenderKind, kind)
    return found.sender if found else None


def _config_field(name: str, info, secret: bool, editing: bool) -> forms.Field:
    label = CONFIG_LABELS.get(name, name)
    required = info.is_required() and not (secret and editing)
    initial = None if info.is_required() else info.default
    if info.annotation is bool:
        return forms.BooleanField(label=label, required=False, initial=initial)
    if info.annotation is int:
        return forms.IntegerField(label=label, required=required, initial=initial)
    if info.annotation is float:
        return forms.FloatField(label=label, required=required, initial=initial, localize=True)
    if secret:
        help_text = gettext_lazy("Stored, never shown. Leave empty to keep the current one.") if editing else ""
        return forms.CharField(label=label, required=required, max_length=500, help_text=help_text,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))  # fmt: skip
    return forms.CharField(label=label, required=required, max_length=500, initial=initial)


class ChannelForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("e.g. “SMS Ban chỉ huy PCTT”. It cannot change later."))  # fmt: skip
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance is not None
        if editing:
            self.kind = self.instance.kind
            self.fields["name"].disabled, self.fields["name"].required = True, False
        else:
            wanted = (self.data.get("kind") if self.is_bound else None) or self.request.GET.get("kind")
            codes = [c for c, _label in _kinds()]
            self.kind = wanted if wanted in codes else ChannelKind.EMAIL
        self.fields["kind"] = forms.CharField(widget=forms.HiddenInput, initial=self.kind, required=False)
        sender = _sender(self.kind)
        self.config_names: list[str] = []
        self.secrets: set[str] = set()
        for name, info in sender.Config.model_fields.items() if sender else []:
            secret = name not in sender.public_fields
            if secret:
                self.secrets.add(name)
            self.fields[f"c_{name}"] = _config_field(name, info, secret, editing)
            self.config_names.append(name)

    def clean(self):
        data = super().clean()
        stored = dict(self.instance.config) if self.instance is not None else {}
        config = {}
        for name in self.config_names:
            value = data.get(f"c_{name}")
            if name in self.secrets and value in ("", None) and name in stored:
                config[name] = stored[name]  # kept
            elif value not in ("", None):
                config[name] = value
        data["config"], data["kind"] = config, self.kind
        return data


def _who(sub: Subscription) -> str:
    return sub.user.display_name if sub.user_id else mask_address(sub.address)


class ChannelPages(PageSet):
    model = Channel
    name = "channel"
    title = gettext_lazy("notification channel")
    title_plural = gettext_lazy("Notification channels")
    intro = gettext_lazy("The ways alerts reach people: in the app, e-mail, SMS, Zalo, webhooks. A channel serves "
                         "its unit and everything within it. Secrets are stored and never shown.")  # fmt: skip
    view_permission, manage_permission = RULES_MANAGE, RULES_MANAGE
    search_fields = ["name"]
    ordering = ("name",)
    form_class = ChannelForm
    form_template = "operations/channel_form.html"
    detail_template = "operations/channel.html"
    columns = [
        Column("name", gettext_lazy("Channel"), order="name", link=True),
        Column("kind", gettext_lazy("Kind"), order="kind", value=lambda c: dict(_kinds()).get(c.kind, c.kind)),
        Column("unit.name", gettext_lazy("Unit"), value=lambda c: c.unit.name if c.unit_id else _("Whole system")),
        Column("active", gettext_lazy("In use"), order="active"),
        Column("sent_count", gettext_lazy("Sent")),
        Column("failed_count", gettext_lazy("Failed")),
        Column("last_success_at", gettext_lazy("Last success"), order="last_success_at"),
        Column("last_error_at", gettext_lazy("Time of the last error"), order="last_error_at"),
    ]  # fmt: skip
    detail_fields = [*columns[1:], Column("last_error", gettext_lazy("What went wrong last"))]
    filters = [
        Filter("kind", gettext_lazy("Kind"), choices=lambda r: _kinds()),
        Filter.yes_no("active"),
    ]  # fmt: skip

    def queryset(self, request):
        return Channel.objects.visible_to(request.user).select_related("unit")

    def _save(self, request, data, name: str):
        return notifications.save_channel(name=name, kind=data["kind"], config=data["config"], active=data["active"],
                                          by=request.user, scope=request.user.scope)  # fmt: skip

    def create(self, request, data):
        if Channel.objects.filter(name=data["name"]).exists():
            from toancanh.core.errors import ServiceError

            raise ServiceError(_("A channel with this name already exists."))
        return self._save(request, data, data["name"])

    def update(self, request, obj, data):
        return self._save(request, data, obj.name)

    def can_edit(self, request, obj):
        scope = request.user.scope
        return super().can_edit(request, obj) and scope.allows(obj.unit.path if obj.unit_id else None)

    def initial(self, request, obj):
        sender = _sender(obj.kind)
        public = sender.public_fields if sender else frozenset()
        return {"name": obj.name, "active": obj.active} | {
            f"c_{k}": v for k, v in (obj.config or {}).items() if k in public
        }

    def error_field(self, form, exc):
        return "name" if "name" in exc.message or "tên" in exc.message else None

    def form_context(self, request, obj):
        kind = obj.kind if obj is not None else request.POST.get("kind") or request.GET.get("kind") or "email"
        return {"kinds": _kinds(), "kind": kind}

    def detail_context(self, request, obj):
        subs = Subscription.objects.visible_to(request.user).filter(channel=obj).select_related("unit", "user")
        config = public_config(_sender(obj.kind), obj.config)
        labelled = [(CONFIG_LABELS.get(k, k), show(v)) for k, v in config.items()]
        return {"channel": obj, "config": labelled, "subscriptions": [(s, _who(s)) for s in subs[:100]]}

    acts = [
        Act("test", gettext_lazy("Send a test"),
            confirm=gettext_lazy("A short test message goes out now on this channel; you see what the receiver "
                                 "answered. In the app, it goes to you."),
            perform=lambda request, c, data: _send_test(request, c)),
        Act("disable", gettext_lazy("Stop using"), available=lambda c: c.active, danger=True,
            confirm=gettext_lazy("Nothing more is sent on it; waiting messages wait. You can switch it on again."),
            done=gettext_lazy("The channel is switched off."),
            perform=lambda request, c, data: _set_active(request, c, False)),
        Act("enable", gettext_lazy("Use again"), available=lambda c: not c.active,
            done=gettext_lazy("The channel is switched on."),
            perform=lambda request, c, data: _set_active(request, c, True)),
    ]  # fmt: skip


class TestForm(PageForm):
    address = forms.CharField(label=gettext_lazy("Send to"), max_length=300, required=False,
                              help_text=gettext_lazy("An e-mail address, a phone number, a URL or a Zalo id, as "
                                                     "the channel needs. Not needed in the app."))  # fmt: skip


def _require_own(request, channel: Channel) -> None:
    """A channel is changed only by those whose scope holds its unit (a system-wide one: by those of the whole system)."""
    from toancanh.core.errors import ServiceError

    if not request.user.scope.allows(channel.unit.path if channel.unit_id else None):
        raise ServiceError(_("This channel belongs to %(owner)s: only its administrators can change it.")
                           % {"owner": channel.unit.name if channel.unit_id else _("the whole system")})  # fmt: skip


def _send_test(request, channel: Channel):
    from django.contrib import messages

    address = request.POST.get("address", "")
    result = notifications.send_test(channel, by=request.user, address=address)
    messages.success(request, result)
    return redirect("channel-detail", channel.pk)


def _set_active(request, channel: Channel, active: bool) -> Channel:
    _require_own(request, channel)
    return notifications.save_channel(name=channel.name, kind=channel.kind, config=channel.config, active=active,
                                      by=request.user, scope=request.user.scope)  # fmt: skip


ChannelPages.acts[0].form_class = TestForm


class SubscriptionForm(PageForm):
    channel = forms.ModelChoiceField(label=gettext_lazy("Channel"), queryset=Channel.objects.none(), empty_label="—")
    unit = PickerField(unit_picker, label=gettext_lazy("Alerts of"),
                       help_text=gettext_lazy("This unit and everything within it."))  # fmt: skip
    user = PickerField(user_picker, label=gettext_lazy("A person"), required=False)
    address = forms.CharField(label=gettext_lazy("…or an address"), max_length=300, required=False,
                              help_text=gettext_lazy("E-mail, phone number, URL or Zalo id, as the channel needs."))  # fmt: skip
    sectors = SectorsField(label=gettext_lazy("Sectors (none ticked: all)"))
    min_severity = forms.ChoiceField(label=gettext_lazy("From severity"), choices=Severity.choices,
                                     initial=Severity.MODERATE)  # fmt: skip
    escalations_only = forms.BooleanField(label=gettext_lazy("Only alerts nobody acknowledged in time"),
                                          required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.visible_to(self.request.user).filter(active=True)

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("address") or "").strip() and not self.has_error("user"):
            self.add_error("address", _("Pick a person or give an address."))
        return data


class SubscriptionPages(PageSet):
    model = Subscription
    name = "subscription"
    title = gettext_lazy("subscription")
    title_plural = gettext_lazy("Subscriptions")
    intro = gettext_lazy("Who hears of which alerts, on which channel. Addresses are shown masked.")
    view_permission, manage_permission = RULES_MANAGE, RULES_MANAGE
    search_fields = ["channel__name", "user__full_name", "unit__search_name"]
    ordering = ("channel__name", "unit__path", "pk")
    form_class = SubscriptionForm
    columns = [
        Column("channel.name", gettext_lazy("Channel"), order="channel__name", link=True),
        Column("who", gettext_lazy("Who"), value=_who),
        Column("unit.name", gettext_lazy("Alerts of"), order="unit__path"),
        Column("sectors", gettext_lazy("Sectors"), value=lambda s: ", ".join(s.sectors) or _("All")),
        Column("min_severity", gettext_lazy("From severity"), css=lambda s: f"sev-{s.min_severity}"),
        Column("escalations_only", gettext_lazy("Only escalations")),
        Column("active", gettext_lazy("In use"), order="active"),
    ]
    filters = [
        Filter("channel", gettext_lazy("Channel"),
               choices=lambda r: [(str(c.pk), c.name) for c in Channel.objects.visible_to(r.user)]),
        Filter("min_severity", gettext_lazy("From severity"), choices=Severity.choices),
        Filter.within(unit_picker),
    ]  # fmt: skip
    acts = [
        Act("disable", gettext_lazy("Stop using"), available=lambda s: s.active, danger=True,
            done=gettext_lazy("The subscription is switched off."),
            confirm=gettext_lazy("Nothing more is sent to this subscriber. You can switch it on again."),
            perform=lambda request, s, data: notifications.set_subscription_active(s, False, by=request.user)),
        Act("enable", gettext_lazy("Use again"), available=lambda s: not s.active,
            done=gettext_lazy("The subscription is switched on."),
            perform=lambda request, s, data: notifications.set_subscription_active(s, True, by=request.user)),
        Act("delete", gettext_lazy("Delete"), danger=True,
            confirm=gettext_lazy("The subscription and its delivery history are removed for good."),
            done=gettext_lazy("The subscription is deleted."),
            perform=lambda request, s, data: (notifications.delete_subscription(s, by=request.user),
                                              redirect("subscription-list"))[1]),
    ]  # fmt: skip

    def queryset(self, request):
        return Subscription.objects.visible_to(request.user).select_related("channel", "unit", "user")

    def label(self, obj):
        return f"{obj.channel.name} → {_who(obj)}"

    def create(self, request, data):
        return notifications.save_subscription(
            by=request.user, scope=request.user.scope, channel=data["channel"].name, unit=data["unit"].key,
            address=data["address"].strip(), user=data["user"].pk if data["user"] else None,
            sectors=[s.code for s in data["sectors"]], min_severity=data["min_severity"],
            escalations_only=data["escalations_only"],
        )  # fmt: skip

    def update(self, request, obj, data):
        return notifications.save_subscription(
            by=request.user, scope=request.user.scope, channel=data["channel"].name, unit=data["unit"].key,
            address=data["address"].strip(), user=data["user"].pk if data["user"] else None,
            sectors=[s.code for s in data["sectors"]], min_severity=data["min_severity"],
            escalations_only=data["escalations_only"], subscription=obj,
        )  # fmt: skip

    def initial(self, request, obj):
        return {"channel": obj.channel_id, "unit": obj.unit.key, "user": obj.user_id, "address": obj.address,
                "sectors": list(obj.sectors), "min_severity": obj.min_severity,
                "escalations_only": obj.escalations_only}  # fmt: skip

    def create_initial(self, request):
        channel = request.GET.get("channel")
        return {"channel": channel} if channel and channel.isdigit() else {}

    def error_field(self, form, exc):
        text = exc.message
        return "sectors" if "sector" in text or "lĩnh vực" in text else "address" if "address" in text else None


channel_pages, subscription_pages = ChannelPages(), SubscriptionPages()
