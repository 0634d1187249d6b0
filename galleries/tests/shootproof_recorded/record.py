"""Record real ShootProof stand-in responses as the mapper's contract fixtures.

    .venv/bin/python galleries/tests/shootproof_recorded/record.py            # own stand-in
    .venv/bin/python galleries/tests/shootproof_recorded/record.py --url http://127.0.0.1:8002

Against a stand-in (its own, started in a temp dir, or a running one at --url), it creates a fresh
account through the control API, places orders covering the contract's cases (three
currency exponents, an adjustment, shipping and tax, a partial payment, a refund, a
cancellation, a deletion, names in several scripts), authorises Cyan's client as the
photographer would (login, Approve), polls with the connector exactly as Cyan does and
writes each polled document — the stand-in's own JSON for the order, its items and its
payments — to `<case>.json` here, plus the notification page the poll read. Re-run it when
the stand-in's contract changes, and commit the files.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")

CALLBACK = "http://127.0.0.1:8999/galleries/shootproof/callback/"
CONTROL = {"Authorization": "Bearer standin-control"}


def person(name: str, email: str) -> dict[str, str]:
    return {"name": name, "email": email}


PRINT = {"productType": "print", "name": "8x10 Print", "unitPrice": 25, "quantity": 2,
         "options": {"finish": "Lustre"}}  # fmt: skip
DIGITAL = {"productType": "digital", "name": "Digital Download", "unitPrice": 70}
ALBUM = {"productType": "album", "name": "Album", "unitPrice": 400}

# case name → (control order request, what happens to it afterwards)
CASES: dict[str, tuple[dict, str]] = {
    "usd_adjustment_tax": (
        {"currency": "USD", "seed": 11, "items": [PRINT, DIGITAL], "adjustment": 10,
         "shipping": 8.5, "tax_rate": "0.08",
         "client": person("Mary Ann van der Berg", "maryann@example.com")},
        "",
    ),
    "jpy": ({"currency": "JPY", "seed": 12, "client": person("山田太郎", "taro@example.jp")}, ""),
    "bhd": ({"currency": "BHD", "seed": 13, "client": person("Иван Петров", "ivan@example.ru")},
            ""),
    "partially_paid": ({"currency": "USD", "seed": 14, "items": [ALBUM], "amount_paid": 100,
                        "client": person("Cher", "cher@example.com")}, ""),
    "refunded": ({"currency": "EUR", "seed": 15}, "refund"),
    "cancelled": ({"currency": "GBP", "seed": 16}, "cancel"),
    "deleted": ({"currency": "USD", "seed": 17}, "delete"),
}  # fmt: skip


def control(url: str, method: str, path: str, body: dict | None = None) -> dict:
    response = requests.request(method, url + path, json=body, headers=CONTROL, timeout=30)
    response.raise_for_status()
    return response.json()


def authorise(url: str, email: str, password: str):
    from galleries.providers.shootproof.client import ShootProofClient
    from testkit.standin.user import StandInUser

    client = ShootProofClient(
        base_url=url, client_id="cyan-demo-client", client_secret="cyan-demo-secret"
    )
    verifier = secrets.token_urlsafe(64)
    start = client.authorization_url(redirect_uri=CALLBACK, state="rec", code_verifier=verifier)
    back = StandInUser(url, email=email, password=password).authorise(start, "Approve")
    code = parse_qs(urlsplit(back).query)["code"][0]
    tokens = client.exchange_code(code=code, redirect_uri=CALLBACK, code_verifier=verifier)
    return client, tokens.access_token


def record(url: str) -> list[Path]:
    import django

    django.setup()
    from galleries.providers.base import PollPlan
    from galleries.providers.shootproof import PROVIDER

    account = control(url, "POST", "/control/accounts", {"brands": ["Recorded Brand"]})
    brand = str(account["brands"][0]["id"])
    placed: dict[int, str] = {}
    for case, (request, after) in CASES.items():
        body = {"account_email": account["email"], "count": 1, **request}
        order_id = control(url, "POST", "/control/orders", body)["orders"][0]["id"]
        placed[order_id] = case
        if after == "refund":
            control(url, "POST", f"/control/orders/{order_id}/refund", {"amount": 5})
        elif after == "cancel":
            control(url, "POST", f"/control/orders/{order_id}/cancel", {})
    client, token = authorise(url, account["email"], account["password"])
    plan = PollPlan(since=datetime.now(UTC) - timedelta(days=1), full=True, cursor="")
    written = []
    outcome = PROVIDER.poll(client=client, access_token=token, account_id=brand, plan=plan)
    before_delete = {}
    for polled in outcome.orders:
        case = placed[polled.raw["order"]["id"]]
        before_delete[case] = polled.raw
        written.append(_write(case, polled.raw))
    deleted_id = next(i for i, c in placed.items() if c == "deleted")
    control(url, "DELETE", f"/control/orders/{deleted_id}")
    since = datetime.now(UTC) - timedelta(minutes=10)
    later = PollPlan(since=since, full=False, cursor=outcome.cursor)
    outcome = PROVIDER.poll(client=client, access_token=token, account_id=brand, plan=later)
    for polled in outcome.orders:
        if polled.raw.get("deleted"):
            written.append(_write("deleted_notice", polled.raw))
    page = client.notifications(access_token=token, brand_id=brand)
    written.append(_write("notification_page", page))
    return written


def _write(name: str, document: dict) -> Path:
    path = HERE / f"{name}.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running stand-in (default: start one)")
    url = parser.parse_args().url
    standin = None
    if not url:
        import tempfile

        from testkit.standin.shootproof import start_shootproof

        standin = start_shootproof(Path(tempfile.mkdtemp(prefix="sp-record-")))
        url = standin.url
    try:
        for path in record(url.rstrip("/")):
            print(f"wrote {path.relative_to(HERE.parents[2])}")
    finally:
        if standin is not None:
            standin.stop()
