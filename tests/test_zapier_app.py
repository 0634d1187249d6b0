"""The Zapier app (integrations/zapier) run by Zapier's own tester against this live Cyan.

pytest starts Cyan (`live_server`), makes a studio with an API key, and runs `npm test`
with the URL and key in the environment; the Node tests (test/live.test.js) then drive the
app's authentication, actions and REST-hook triggers over real HTTP, and check the
deliveries at a receiver of their own. Skipped, saying so, only when Node is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from api.services import generate_api_key
from testkit.factories import make_contact, make_sale

APP = Path(settings.BASE_DIR) / "integrations" / "zapier"
NODE = shutil.which("node")
NPM = shutil.which("npm")

pytestmark = pytest.mark.skipif(
    not (NODE and NPM), reason="Node.js and npm are not installed: the Zapier app's tests need them"
)


def _install() -> None:
    """`npm ci` from the lock when node_modules is missing or older than the lock
    (offline-safe: the npm cache first; no audit or funding calls)."""
    installed = APP / "node_modules" / ".package-lock.json"
    lock = APP / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(
        [NPM, "ci", "--prefer-offline", "--no-audit", "--no-fund"],
        cwd=APP,
        check=True,
        capture_output=True,
        timeout=600,
    )


@pytest.mark.django_db(transaction=True)
def test_the_zapier_app_against_a_live_cyan(live_server, studio):
    _install()
    _, raw_key = generate_api_key(studio=studio, name="Zapier")
    refunded = make_sale(studio, make_contact(studio, "Rhea", "Fund"), total_minor=4000, refund=500)
    env = {
        **os.environ,
        "CYAN_URL": live_server.url,
        "CYAN_API_KEY": raw_key,
        "CYAN_STUDIO_NAME": studio.name,
        "CYAN_REFUNDED_SALE_ID": str(refunded.pk),
    }
    result = subprocess.run(
        [NPM, "test", "--silent"], cwd=APP, env=env, capture_output=True, text=True, timeout=600
    )
    summary = "\n".join(line for line in result.stdout.splitlines() if line.startswith("# "))
    assert result.returncode == 0, f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    assert "# fail 0" in summary
    assert "# skipped 0" in summary  # the live tests ran, not skipped for want of a Cyan
