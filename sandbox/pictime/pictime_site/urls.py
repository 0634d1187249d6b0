from __future__ import annotations

from django.urls import include, path
from oauth2_provider import urls as oauth2_urls
from oauth2_provider import views as oauth_views
from standin.oauth import ApproveView

oauth_patterns = (
    [
        path("authorize/", ApproveView.as_view(), name="authorize"),
        *[p for p in oauth2_urls.base_urlpatterns if p.name != "authorize"],
    ],
    "oauth2_provider",
)

# The same endpoints without the trailing slash: a POST cannot follow APPEND_SLASH's redirect.
no_slash = [
    path("oauth/authorize", ApproveView.as_view()),
    path("oauth/token", oauth_views.TokenView.as_view()),
    path("oauth/revoke_token", oauth_views.RevokeTokenView.as_view()),
]

urlpatterns = [
    path("oauth/", include(oauth_patterns)),
    *no_slash,
    path("", include("standin.urls")),
]
