from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "toancanh.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        # The built-in rule kinds, senders and default rule enter the registry through the same
        # calls as a pack's.
        from toancanh.core.registry import declare
        from toancanh.operations.demo import BUILT_IN_RULES
        from toancanh.operations.notify.registry import BUILT_IN as SENDERS
        from toancanh.operations.rules import BUILT_IN as RULE_KINDS

        declare(*RULE_KINDS, *SENDERS, *BUILT_IN_RULES)
