"""Toàn Cảnh — an Intelligent Operations Center (Trung tâm điều hành thông minh) for Vietnamese local government."""

__version__ = "0.1.0"
