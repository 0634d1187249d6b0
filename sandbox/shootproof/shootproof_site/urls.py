from __future__ import annotations

from django.urls import include, path
from oauth2_provider import views as oauth_views
from spstandin.oauth import ApproveView, TokenView

# ShootProof's own paths (developer.shootproof.com, Authorization guide), no trailing slash.
oauth_patterns = (
    [
        path("new", ApproveView.as_view(), name="authorize"),
        path("token", TokenView.as_view(), name="token"),
        path("revoke", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    ],
    "oauth2_provider",
)

urlpatterns = [
    path("oauth2/authorization/", include(oauth_patterns)),
    path("", include("spstandin.urls")),
]
