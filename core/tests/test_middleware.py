"""NUL in a page's query string is a 400, not a server error (issue #10.6)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/inbox/", "/contacts/", "/shoots/", "/sales/"])
@pytest.mark.parametrize("query", ["q=%00x", "q=a&x%00=1"])
def test_nul_in_a_page_search_is_a_400(auth_client, path, query):
    auth_client.raise_request_exception = False
    response = auth_client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_an_ordinary_search_still_works(auth_client):
    assert auth_client.get("/contacts/?q=Ada").status_code == 200
