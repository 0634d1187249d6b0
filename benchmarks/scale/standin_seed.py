"""Seed the Pic-Time stand-in (sandbox/pictime) for the scale simulation: one photographer
account per studio, with the access token Cyan's link holds (dbtool.account_id and
dbtool.access_token name both), so the worker's polls are real API calls at the stand-in.

    PICTIME_DB=… standin_seed.py STUDIOS   # run by run.py with the stand-in's environment

Linking 1,000 studios through the OAuth pages would measure the pages, not the polls;
the tokens are made here as django-oauth-toolkit stores them (checksum for the look-up).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SANDBOX = HERE.parents[1] / "sandbox" / "pictime"
sys.path.insert(0, str(SANDBOX))
sys.path.insert(0, str(HERE))


def seed(studios: int) -> dict[str, int]:
    from dbtool import access_token, account_id
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application, set_token_value
    from standin.models import Account

    user_model = get_user_model()
    app = Application.objects.get(client_id=settings.PICTIME_CLIENT_ID)
    password = make_password("scale-standin-password")
    expires = timezone.now() + timedelta(days=2)
    with transaction.atomic():
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"scale{i:05d}@pictime.test",
                           email=f"scale{i:05d}@pictime.test", password=password)
                for i in range(studios)
            ]
        )  # fmt: skip
        Account.objects.bulk_create(
            [
                Account(public_id=account_id(i), user=user, name=f"Scale account {i}")
                for i, user in enumerate(users)
            ]
        )
        tokens = []
        for i, user in enumerate(users):
            token = AccessToken(user=user, application=app, expires=expires,
                                scope="account:read orders:read webhooks:write")  # fmt: skip
            set_token_value(token, access_token(i))
            tokens.append(token)
        AccessToken.objects.bulk_create(tokens)
    return {"accounts": studios}


if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "pictime_site.settings"
    import django

    django.setup()
    print(json.dumps(seed(int(sys.argv[1]))))
