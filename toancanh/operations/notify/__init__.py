"""Notification senders: one module each, all with one job, ``send(message)``."""
