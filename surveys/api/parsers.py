"""Parsing request bodies without letting a hostile one exhaust the server.

The standard JSON parser recurses once per nesting level: a body nested 1,000 levels deep raised RecursionError (a
500) on every JSON endpoint, the anonymous token endpoint included. SafeJSONParser, DRF's default parser here, reads at
most rules.JSON_MAX_BYTES and measures the nesting (rules.safe_json_loads) before parsing: too large or too deep is a
400 with a clear message, and nothing is written.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from surveys import rules


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read(rules.JSON_MAX_BYTES + 1) if stream is not None else b""
        if len(body) > rules.JSON_MAX_BYTES:
            raise ParseError(_("The request body is too large (at most %(mb)s MB of JSON).")
                             % {"mb": rules.JSON_MAX_BYTES // 1_000_000})
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The request body is not valid UTF-8 text.")) from None
        if rules._nesting(text) > rules.JSON_MAX_DEPTH:
            raise ParseError(_("The JSON is nested too deeply (at most %(depth)s levels).")
                             % {"depth": rules.JSON_MAX_DEPTH})
        try:
            return rules.safe_json_loads(text)
        except ValueError as exc:
            raise ParseError(_("JSON parse error: %(reason)s") % {"reason": exc}) from None
