"""A photographer at the stand-in, without a browser: follows the authorize URL, logs in,
presses Approve or Deny, and returns the URL Pic-Time redirects back to (Cyan's callback).
Forms are read from the stand-in's HTML, so field names are not hard-coded."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

from testkit.standin.server import DEMO_EMAIL, DEMO_PASSWORD


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (type, name, value)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (label, name, value)

    def has_password(self) -> bool:
        return any(kind == "password" for kind, _, _ in self.fields)

    def button(self, label: str) -> tuple[str, str, str] | None:
        for button in self.buttons:
            if button[0].strip().lower() == label.lower():
                return button
        return None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get")))
        elif not self.forms:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self.forms[-1].buttons.append(
                    (a.get("value", ""), a.get("name", ""), a.get("value", ""))
                )
            elif kind not in {"checkbox", "radio"} or "checked" in a:
                self.forms[-1].fields.append((kind, a.get("name", ""), a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._button = ["", a.get("name", ""), a.get("value", "")]

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button[0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append(tuple(self._button))  # type: ignore[arg-type]
            self._button = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class StandInUser:
    standin_url: str
    email: str = DEMO_EMAIL
    password: str = DEMO_PASSWORD
    session: requests.Session = field(default_factory=requests.Session)
    pages: list[str] = field(default_factory=list)  # URLs visited, for failure messages

    def authorise(self, authorize_url: str, decision: str = "Approve") -> str:
        """Walk login → Approve/Deny; return the redirect to Cyan (not followed)."""
        url, method, data = authorize_url, "GET", None
        for _ in range(12):
            self.pages.append(url)
            response = self.session.request(
                method, url, data=data, allow_redirects=False, timeout=10
            )
            if response.is_redirect:
                target = urljoin(url, response.headers["Location"])
                if not self._is_standin(target):
                    return target
                url, method, data = target, "GET", None
                continue
            if response.status_code != 200:
                raise AssertionError(
                    f"Stand-in answered {response.status_code} at {url}: {response.text[:500]}"
                )
            url, method, data = self._submit(url, response.text, decision)
        raise AssertionError(f"No redirect back to Cyan after: {self.pages}")

    def _is_standin(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.standin_url).netloc

    def _submit(self, page_url: str, html: str, decision: str) -> tuple[str, str, dict]:
        forms = parse_forms(html)
        login = next((f for f in forms if f.has_password()), None)
        if login is not None:
            data = self._fill_login(login)
            return urljoin(page_url, login.action or page_url), login.method.upper(), data
        for form in forms:
            button = form.button(decision)
            if button is not None:
                data = {name: value for _, name, value in form.fields if name}
                if button[1]:
                    data[button[1]] = button[2]
                return urljoin(page_url, form.action or page_url), form.method.upper(), data
        raise AssertionError(f"No login form or {decision!r} button at {page_url}: {html[:1500]}")

    def _fill_login(self, form: Form) -> dict:
        data = {}
        for kind, name, value in form.fields:
            if not name:
                continue
            if kind == "password":
                data[name] = self.password
            elif kind == "email" or name.lower() in {"email", "username", "login"}:
                data[name] = self.email
            else:
                data[name] = value
        return data
