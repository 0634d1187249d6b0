"""Query parameters of the JSON APIs (api/, reports' API): strict about names.

Here rather than in api/ because the reports app mounts its own router and must not
import the api app.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import ValidationInfo, model_validator

# What any operation can answer: a malformed request (400), no key (401), an unknown path
# or object (404), a request that breaks the schema (422), too many requests (429).
COMMON_ERROR_STATUSES = (400, 401, 404, 422, 429)


class QueryParams(Schema):
    """Query parameters of an operation: an unknown name is refused (422), not silently
    ignored (a misspelt `date_form` would otherwise return every row)."""

    @model_validator(mode="after")
    def _no_unknown_names(self, info: ValidationInfo) -> QueryParams:
        request = (info.context or {}).get("request")
        known = {field.alias or name for name, field in type(self).model_fields.items()}
        unknown = sorted(set(request.GET) - known) if request is not None else []
        if unknown:
            # Not a ValueError, which pydantic would pin on the whole model: the API's
            # handler turns this into a 422 that names each parameter.
            raise ValidationError(dict.fromkeys(unknown, "Unknown query parameter."))
        return self
