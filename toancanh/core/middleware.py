"""Vietnamese first: the interface speaks Vietnamese unless the user picked English.

Django's LocaleMiddleware follows the browser's Accept-Language, so an officer whose browser
happens to be in English would get English pages; here only the user's own choice (the
language cookie set by the language switch) changes the default.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class VietnameseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
