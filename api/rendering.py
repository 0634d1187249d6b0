"""How the API writes JSON: datetimes to the millisecond, the same whichever way a body
takes (rendered from a model, stored for an Idempotency-Key replay, re-rendered)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


class MillisecondEncoder(NinjaJSONEncoder):
    """Django's encoder cuts a datetime to milliseconds but keeps ".000" when only the
    microseconds are non-zero; read back and written again that became no fraction at
    all, so a replayed response differed from the first. Cutting first makes it stable."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            o = o.replace(microsecond=o.microsecond // 1000 * 1000)
        return super().default(o)


class ApiRenderer(JSONRenderer):
    encoder_class = MillisecondEncoder
