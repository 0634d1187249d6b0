"""An enquiry pushed through the API (a contact form, Zapier): the Inbox's second kind."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from contacts.keys import normalize_email
from core import limits
from core.dates import ApiDate, ApiTimestamp
from core.limits import text


class Enquiry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    source: text(limits.PROVIDER, min_length=1) = "api"
    external_id: text(limits.ORDER_ID) = ""
    first_name: text(limits.FIRST_NAME) = ""
    last_name: text(limits.LAST_NAME) = ""
    email: text(limits.EMAIL) = ""
    phone: text(limits.PHONE) = ""
    message: text(limits.MESSAGE) = ""
    shoot_type: text(limits.SHOOT_TYPE) = ""
    event_date: ApiDate | None = None
    sent_at: ApiTimestamp | None = None

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        return normalize_email(value) if value else ""

    @model_validator(mode="after")
    def someone_to_answer(self) -> Enquiry:
        if not (self.email or self.phone):
            raise ValueError("an enquiry needs an email or a phone number to answer")
        return self

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
