"""An enquiry pushed through the API (a contact form, Zapier): the Inbox's second kind."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from contacts.keys import normalize_email
from core.dates import ApiDate, ApiTimestamp

Short = Annotated[str, Field(max_length=200)]


class Enquiry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    source: Annotated[str, Field(min_length=1, max_length=20)] = "api"
    external_id: Annotated[str, Field(max_length=100)] = ""
    first_name: Short = ""
    last_name: Short = ""
    email: Annotated[str, Field(max_length=254)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""
    message: Annotated[str, Field(max_length=10_000)] = ""
    shoot_type: Annotated[str, Field(max_length=40)] = ""
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
