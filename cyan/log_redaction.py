"""What Cyan's logs may carry: no secrets, and no customer data.

- Access logs (gunicorn's `gunicorn.access`, Django's `django.server`) print request lines
  and referers; every value in a query string is replaced with `[redacted]` (an OAuth
  callback's `?code=…`, a token, and a search for a client's name or email alike); the
  parameter names stay, which is what one needs to debug.
- Anywhere in a line: email addresses become `[email]`; `Bearer …` credentials, Cyan's
  API keys (`cyan_<prefix>_<secret>`, the prefix is kept) and Standard Webhooks secrets
  (`whsec_…`) become `[redacted]`.
- PostgreSQL's error messages quote the data that failed: `Key (email)=(ann@…) already
  exists`, `Failing row contains (…every column…)`, `invalid input syntax …: "…"`, and
  `LINE 1: …` with the SQL around the error (the values are inlined, as Django binds
  parameters on the client). The values are cut; table, column and constraint names,
  which are what one needs to debug, are kept.

`RedactingFilter` applies both to a record's message, its arguments and its traceback;
settings.LOGGING puts it on every handler, and cyan.apps puts it on gunicorn's access
logger (whose handlers gunicorn owns).
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
QUERY_VALUES = re.compile(r"([?&;][\w.\-\[\]%]{1,64}=)[^&;\s\"'#]*")
LINE_SECRETS = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[^\s\"',;]+"), rf"\1 {REDACTED}"),
    (re.compile(r"\b(cyan_[a-z0-9]{8}_)[\w-]+"), rf"\1{REDACTED}"),
    (re.compile(r"\bwhsec_[\w+/=-]+"), f"whsec_{REDACTED}"),
    (re.compile(r"[\w.!#$%'*+^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"[\w.!#$%'*+^`{|}~-]+%40[\w-]+(?:\.[\w-]+)+"), "[email]"),  # URL-encoded
]
DATABASE_DETAILS = [
    (re.compile(r"(Key \([^)]*\))=\(.*?\)(?= already exists| is not present| conflicts|\.|$)",
                re.M), r"\1=(…)"),
    (re.compile(r"(Failing row contains )\(.*\)"), r"\1(…)"),
    (re.compile(r"(invalid input [^:\n]*: )\".*?\"(?=\s*$|\n)", re.M), r'\1"…"'),
    (re.compile(r"(at or near )\".*?\"(?=\s*$|\n)", re.M), r'\1"…"'),
    (re.compile(r"(parameter \$\d+ = )'.*?'(?=,|\s*$)", re.M), r"\1'…'"),
    (re.compile(r"^(\s*LINE \d+: ).*$", re.M), r"\1[SQL redacted]"),
    (re.compile(r"^\s*\^\s*\n?", re.M), ""),
    (re.compile(r"(; args=|\bparams=).*$", re.M), r"\1[redacted]"),
]  # fmt: skip


# Every pattern above needs one of these; most log text (a user agent, a status, a plain
# message) has none and is passed over in one scan instead of twenty (an access line
# costs ~5 µs instead of ~100).
MIGHT_HOLD_SECRETS = re.compile(
    r"=|@|%40|(?i:earer|asic)|cyan_|whsec_|Key \(|Failing row|invalid input|at or near|LINE \d|\^"
)


def redact(text: str) -> str:
    if not MIGHT_HOLD_SECRETS.search(text):
        return text
    text = QUERY_VALUES.sub(rf"\1{REDACTED}", text)
    for pattern, replacement in (*LINE_SECRETS, *DATABASE_DETAILS):
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):  # gunicorn's access log: atoms by name
            # In place: gunicorn's mapping also answers `{header}i` look-ups.
            for key, value in list(record.args.items()):
                if isinstance(value, str):
                    record.args[key] = redact(value)
        else:
            message = record.getMessage()
            if redact(message) != message:
                record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def redact_gunicorn_access_log() -> None:
    logging.getLogger("gunicorn.access").addFilter(RedactingFilter())
