"""WSGI entry point of the ShootProof stand-in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
    "SHOOTPROOF_SETTINGS_MODULE", "shootproof_site.settings"
)

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
