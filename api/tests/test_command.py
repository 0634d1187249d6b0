import io

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiKey
from api.services import authenticate_api_key

pytestmark = pytest.mark.django_db


def test_prints_only_the_key_for_the_owners_studio(owner, studio):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", "--email", owner.email.upper(), stdout=out, stderr=err)
    printed = out.getvalue()
    assert printed.endswith("\n") and printed.count("\n") == 1
    raw = printed.strip()
    assert authenticate_api_key(raw).studio == studio
    assert err.getvalue() == ""
    assert ApiKey.objects.filter(studio=studio).count() == 1


def test_unknown_email_is_an_error_and_creates_nothing(studio):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_key", "--email", "nobody@example.test", stdout=io.StringIO())
    assert not ApiKey.objects.exists()
