"""The administrator's console for accounts: staff users (create with role and scope, edit, reset
the password, disable) and integrators' API keys (issue and show once, revoke, last use), on the
page machinery. Every write goes through ``accounts.services``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.accounts import services
from toancanh.accounts.models import ApiKey, Kind, User
from toancanh.accounts.roles import APIKEYS_MANAGE, USERS_MANAGE, USERS_VIEW, Role
from toancanh.core.pages import Act, Column, DateField, Filter, PageForm, PageSet, Picker, PickerField
from toancanh.units.pages import SectorsField, agency_picker, unit_picker

USERNAME = RegexValidator(
    r"^[A-Za-z0-9_.@+-]{3,150}$",
    gettext_lazy("3 to 150 characters: letters without accents, digits and . _ @ + -"),
)


class UserPicker(Picker):
    """Active staff within the user's scope, by name or user name (for assignees, subscriptions …)."""

    url_name = "user-picker"
    search_fields = ["full_name", "username"]

    def queryset(self, request):
        return User.objects.visible_to(request.user).filter(kind=Kind.STAFF, is_active=True).select_related("unit")

    def roots(self, request, qs):
        return qs.order_by("full_name", "username")

    def label(self, obj):
        return obj.display_name

    def hint(self, obj):
        return " · ".join(x for x in [str(obj.get_role_display()), obj.unit.name if obj.unit_id else ""] if x)


user_picker = UserPicker()


class ScopeFields(PageForm):
    """Role and scope: what users and API keys share."""

    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[("", "—"), *Role.choices])
    unit = PickerField(unit_picker, label=gettext_lazy("Unit (scope)"),
                       help_text=gettext_lazy("What they may see: this unit and everything within it."))  # fmt: skip
    agency = PickerField(agency_picker, label=gettext_lazy("Agency"), required=False,
                         help_text=gettext_lazy("Only for officers of one agency: they then see that agency's work only."))  # fmt: skip
    sectors = SectorsField(label=gettext_lazy("Sectors"),
                           help_text=gettext_lazy("None ticked: every sector."))  # fmt: skip

    def clean(self):
        data = super().clean()
        unit, agency = data.get("unit"), data.get("agency")
        if unit and agency and not agency.unit.path.startswith(unit.path):
            self.add_error("agency", _("This agency is not within the chosen unit."))
        return data


class UserForm(ScopeFields):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150, validators=[USERNAME],
                               help_text=gettext_lazy("Used to sign in, e.g. nguyenvana."))  # fmt: skip
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput(render_value=True),
                               help_text=gettext_lazy("At least 8 characters, not a common password. "
                                                      "Give it to the person; they can change it later."))  # fmt: skip
    field_order = ["username", "full_name", "email", "password", "role", "unit", "agency", "sectors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:  # editing: the user name stays, the password has its own page
            del self.fields["username"], self.fields["password"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password:
            try:
                validate_password(
                    password, User(username=data.get("username", ""), full_name=data.get("full_name", ""))
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class PasswordForm(PageForm):
    password = forms.CharField(label=gettext_lazy("New password"), widget=forms.PasswordInput(render_value=True),
                               help_text=gettext_lazy("At least 8 characters, not a common password."))  # fmt: skip

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.instance)
        return password


def _scope_args(data) -> dict:
    return {"role": data["role"], "unit": data["unit"].key, "agency": data["agency"].code if data["agency"] else None,
            "sectors": [s.code for s in data["sectors"]]}  # fmt: skip


def _state(obj) -> str:
    return "" if getattr(obj, "is_active", True) else "muted"


class UserPages(PageSet):
    model = User
    name = "user"
    title = gettext_lazy("user")
    title_plural = gettext_lazy("Users")
    intro = gettext_lazy("Staff accounts within your scope: each has a role (what they may do) and a scope "
                         "(what they may see).")  # fmt: skip
    view_permission, manage_permission = USERS_VIEW, USERS_MANAGE
    search_fields = ["full_name", "username", "email"]
    search_placeholder = gettext_lazy("Name, user name or e-mail…")
    ordering = ("full_name", "username")
    form_class = UserForm
    columns = [
        Column("display_name", gettext_lazy("Full name"), order="full_name", link=True, css=_state),
        Column("username", gettext_lazy("User name"), order="username"),
        Column("role", gettext_lazy("Role"), order="role"),
        Column("unit.name", gettext_lazy("Unit"), order="unit__path"),
        Column("agency.name", gettext_lazy("Agency"), order="agency__name"),
        Column("is_active", gettext_lazy("Active"), order="is_active"),
        Column("last_login", gettext_lazy("Last signed in"), order="last_login"),
    ]
    detail_fields = [
        *columns[1:5],
        Column("sectors", gettext_lazy("Sectors"),
               value=lambda u: ", ".join(s.localized for s in u.sectors.all()) or _("All sectors")),
        Column("email", gettext_lazy("E-mail")),
        *columns[5:],
        Column("date_joined", gettext_lazy("Created")),
    ]  # fmt: skip
    filters = [
        Filter("role", gettext_lazy("Role"), choices=Role.choices),
        Filter.within(unit_picker),
        Filter.yes_no("is_active", gettext_lazy("Active")),
    ]  # fmt: skip

    def queryset(self, request):
        return User.objects.managed_by(request.user).filter(kind=Kind.STAFF)

    def list_queryset(self, request):
        return self.queryset(request).select_related("unit", "agency")

    def label(self, obj):
        return obj.display_name

    def error_field(self, form, exc):
        text = exc.message.lower()  # the refusal, in English or Vietnamese
        if "password" in text or "mật khẩu" in text:
            return "password"
        if "agency" in text or "cơ quan" in text:
            return "agency"
        if "unit" in text or "đơn vị" in text:
            return "unit"
        return "username" if "user" in text or "tài khoản" in text else None

    def create(self, request, data):
        return services.create_staff_user(by=request.user, scope=request.user.scope, username=data["username"],
                                          password=data["password"], full_name=data["full_name"],
                                          email=data["email"], **_scope_args(data))  # fmt: skip

    def update(self, request, obj, data):
        return services.update_staff_user(obj, by=request.user, scope=request.user.scope, full_name=data["full_name"],
                                          email=data["email"], **_scope_args(data))  # fmt: skip

    def initial(self, request, obj):
        return {"full_name": obj.full_name, "email": obj.email, "role": obj.role,
                "unit": obj.unit.key if obj.unit_id else None, "agency": obj.agency.code if obj.agency_id else None,
                "sectors": list(obj.sectors.all())}  # fmt: skip

    acts = [
        Act("password", gettext_lazy("Reset the password"), form_class=PasswordForm,
            confirm=gettext_lazy("Set a new password and give it to the person; the old one stops working."),
            done=gettext_lazy("The password was changed."),
            perform=lambda request, u, data: services.set_password(u, data["password"], by=request.user)),
        Act("disable", gettext_lazy("Disable"), danger=True, available=lambda u: u.is_active,
            confirm=gettext_lazy("They can no longer sign in. Their name stays in the records and the timeline; "
                                 "you can enable the account again."),
            done=gettext_lazy("The account is disabled."),
            perform=lambda request, u, data: services.set_user_active(u, False, by=request.user)),
        Act("enable", gettext_lazy("Enable"), available=lambda u: not u.is_active,
            done=gettext_lazy("The account is enabled."),
            perform=lambda request, u, data: services.set_user_active(u, True, by=request.user)),
    ]  # fmt: skip


class ApiKeyForm(ScopeFields):
    name = forms.CharField(label=gettext_lazy("Name"), min_length=2, max_length=100,
                           help_text=gettext_lazy("Who uses it, e.g. lgsp-danang or tram-quan-trac."))  # fmt: skip
    expires_on = DateField(label=gettext_lazy("Valid until"), required=False,
                           help_text=gettext_lazy("Empty: until revoked."))  # fmt: skip
    field_order = ["name", "role", "unit", "agency", "sectors", "expires_on"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if ApiKey.objects.filter(name=name).exists():
            raise ValidationError(_("An API key with this name exists already."))
        return name

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise ValidationError(_("Choose a day after today."))
        return day


def _key_state(key: ApiKey) -> str:
    if key.revoked_at:
        return _("Revoked")
    if key.expires_at and key.expires_at <= timezone.now():
        return _("Expired")
    return _("In use")


class ApiKeyPages(PageSet):
    model = ApiKey
    name = "apikey"
    title = gettext_lazy("API key")
    title_plural = gettext_lazy("API keys")
    intro = gettext_lazy("Keys let other systems (the LGSP, sensors, agencies' software) call the API within a "
                         "role and scope. A key is shown once, when it is issued.")  # fmt: skip
    view_permission = manage_permission = APIKEYS_MANAGE
    search_fields = ["name", "key_id"]
    ordering = ("name",)
    form_class = ApiKeyForm
    columns = [
        Column("name", gettext_lazy("Name"), order="name", link=True),
        Column("key_id", gettext_lazy("Key id")),
        Column("role", gettext_lazy("Role"), order="role"),
        Column("unit.name", gettext_lazy("Unit"), order="unit__path"),
        Column("state", gettext_lazy("State"), value=_key_state),
        Column("last_used_at", gettext_lazy("Last used"), order="last_used_at"),
        Column("created_at", gettext_lazy("Issued"), order="created_at"),
    ]
    detail_fields = [
        *columns[1:4],
        Column("agency.name", gettext_lazy("Agency")),
        Column("sectors", gettext_lazy("Sectors"),
               value=lambda k: ", ".join(s.localized for s in k.sectors.all()) or _("All sectors")),
        *columns[4:],
        Column("created_by", gettext_lazy("Issued by")),
        Column("expires_at", gettext_lazy("Valid until")),
        Column("revoked_at", gettext_lazy("Revoked")),
    ]  # fmt: skip
    filters = [
        Filter("state", gettext_lazy("State"), choices=[("live", gettext_lazy("In use")),
                                                        ("revoked", gettext_lazy("Revoked"))],
               apply=lambda qs, v: qs.usable() if v == "live" else qs.filter(revoked_at__isnull=False)),
    ]  # fmt: skip

    def queryset(self, request):
        return ApiKey.objects.managed_by(request.user)

    def list_queryset(self, request):
        return self.queryset(request).select_related("unit")

    def create(self, request, data):
        import datetime as dt

        expires = None
        if data["expires_on"]:
            expires = timezone.make_aware(dt.datetime.combine(data["expires_on"], dt.time(23, 59, 59)))
        return services.create_api_key(by=request.user, scope=request.user.scope, name=data["name"],
                                       expires_at=expires, **_scope_args(data))  # fmt: skip

    def created(self, request, obj, form):
        key, plain = obj
        context = self._base(request) | {"obj": key, "label": key.name, "plain": plain,
                                         "detail_url": self.url("detail", key.pk)}  # fmt: skip
        response = render(request, "accounts/apikey_issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    acts = [
        Act("revoke", gettext_lazy("Revoke"), danger=True, available=lambda k: k.revoked_at is None,
            confirm=gettext_lazy("Calls with this key are refused from now on. This cannot be undone: issue a new "
                                 "key if the system needs one again."),
            done=gettext_lazy("The key is revoked."),
            perform=lambda request, k, data: services.revoke_api_key(k, by=request.user)),
    ]  # fmt: skip


user_pages, apikey_pages = UserPages(), ApiKeyPages()
