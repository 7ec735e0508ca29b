from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "toancanh.accounts"
    label = "accounts"
    verbose_name = "Accounts"
