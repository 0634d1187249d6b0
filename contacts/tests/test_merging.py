"""Merging two contacts: the service (nothing lost, one transaction, refusals) and its pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts import merging, services
from contacts.models import Contact, ContactEmail, ContactPhone
from testkit.factories import at


@pytest.fixture
def jane(studio):
    return services.create_contact(
        studio=studio,
        first_name="Jane",
        last_name="Smith",
        notes="Prefers mornings.",
        emails=["jane@example.com"],
        phones=["07700 900123"],
        addresses=[{"line1": "1 High St", "postcode": "BA1 1AA", "country": "GB"}],
        tags=["wedding"],
    )


@pytest.fixture
def dupe(studio):
    return services.create_contact(
        studio=studio,
        first_name="Jane",
        last_name="Smyth",
        company="Smyth Photography Fans",
        notes="Met at the fair.",
        source=Contact.Source.PICTIME,
        emails=["JANE@example.com", "jane.work@example.com"],
        phones=["+44 7700 900123", "07700 900456"],
        addresses=[
            {"line1": "1 high st", "postcode": "ba11aa", "country": "GB"},
            {"line1": "5 Mill Lane", "postcode": "LS1 4AP", "country": "GB"},
        ],
        tags=["VIP"],
    )


def merge(studio, survivor, duplicate, **choices):
    return merging.merge_contacts(
        studio=studio, survivor=survivor, duplicate=duplicate, choices=choices or None
    )


class TestMergeContacts:
    def test_details_move_over_without_duplicates(self, studio, jane, dupe):
        merged = merge(studio, jane, dupe)
        assert not Contact.objects.filter(pk=dupe.pk).exists()
        emails = list(merged.emails.values_list("email_normalized", "is_primary"))
        assert emails == [("jane@example.com", True), ("jane.work@example.com", False)]
        phones = list(merged.phones.values_list("e164", "is_primary"))
        assert phones == [("+447700900123", True), ("+447700900456", False)]
        assert sorted(merged.addresses.values_list("line1", flat=True)) == [
            "1 High St",
            "5 Mill Lane",
        ]
        assert sorted(merged.tags.values_list("name", flat=True)) == ["VIP", "wedding"]
        assert ContactEmail.objects.filter(studio=studio).count() == 2
        assert ContactPhone.objects.filter(studio=studio).count() == 2

    def test_default_values_keep_the_survivors_and_fill_its_blanks(self, studio, jane, dupe):
        merged = merge(studio, jane, dupe)
        assert (merged.first_name, merged.last_name, merged.company) == (
            "Jane",
            "Smith",
            "Smyth Photography Fans",
        )
        assert merged.source == Contact.Source.MANUAL
        # Notes of both, and the surname that was not kept, so nothing is lost.
        assert merged.notes.startswith("Prefers mornings.\n\nMet at the fair.")
        assert "also known as: last name “Smyth”" in merged.notes

    def test_chosen_values_win_and_name_keys_follow(self, studio, jane, dupe):
        merged = merge(
            studio, jane, dupe, last_name="duplicate", source="duplicate", notes="survivor"
        )
        assert merged.last_name == "Smyth"
        assert merged.source == Contact.Source.PICTIME
        assert merged.name_key == "jane smyth"
        assert merged.surname_key == "SM0|j"
        assert merged.notes.startswith("Prefers mornings.\n\nMerged with Jane Smyth")
        assert "last name “Smith”" in merged.notes

    def test_sales_and_shoots_move_over(self, studio, jane, dupe, make_sale, make_shoot):
        sale = make_sale(dupe)
        shoot = make_shoot(dupe, title="Portraits", starts_at=at(2026, 5, 1))
        merged = merge(studio, jane, dupe)
        sale.refresh_from_db()
        assert sale.contact == merged
        assert list(merged.shoots.all()) == [shoot]

    def test_a_shoot_of_both_keeps_one_link_with_the_more_important_role(
        self, studio, jane, dupe, make_shoot
    ):
        from shoots.models import ShootContact

        shoot = make_shoot(
            title="Wedding", starts_at=at(2026, 5, 1), contacts=[(jane, "guest"), (dupe, "client")]
        )
        merged = merge(studio, jane, dupe)
        links = ShootContact.objects.filter(shoot=shoot)
        assert [(link.contact, link.role) for link in links] == [(merged, "client")]

    def test_survivor_without_primary_takes_the_duplicates_primary(self, studio, dupe):
        bare = services.create_contact(studio=studio, first_name="Jane")
        merged = merge(studio, bare, dupe)
        assert merged.emails.get(is_primary=True).email == "JANE@example.com"
        assert merged.phones.filter(is_primary=True).count() == 1

    def test_refuses_a_contact_and_itself(self, studio, jane):
        with pytest.raises(ValidationError, match="itself"):
            merge(studio, jane, jane)
        assert Contact.objects.filter(pk=jane.pk).exists()

    def test_refuses_across_studios(self, studio, jane, other_studio_and_owner):
        theirs = services.create_contact(studio=other_studio_and_owner[0], first_name="Jane")
        with pytest.raises(ValidationError, match="this studio"):
            merge(studio, jane, theirs)
        with pytest.raises(ValidationError, match="this studio"):
            merge(other_studio_and_owner[0], theirs, jane)
        assert Contact.objects.filter(pk__in=[jane.pk, theirs.pk]).count() == 2

    def test_refuses_unknown_choices_before_writing(self, studio, jane, dupe):
        with pytest.raises(ValidationError) as exc:
            merge(studio, jane, dupe, last_name="both", favourite_colour="survivor")
        assert set(exc.value.error_dict) == {"last_name", "__all__"}
        assert Contact.objects.filter(pk=dupe.pk).exists()
        assert dupe.emails.count() == 2

    def test_a_failure_part_way_leaves_everything_as_it_was(self, studio, jane, dupe, monkeypatch):
        def broken(keep, gone):
            raise RuntimeError("disk full")

        monkeypatch.setattr(merging, "_move_shoot_links", broken)
        with pytest.raises(RuntimeError):
            merge(studio, jane, dupe)
        assert dupe.emails.count() == 2 and jane.emails.count() == 1
        assert Contact.objects.filter(pk=dupe.pk).exists()
        jane.refresh_from_db()
        assert jane.company == ""

    def test_likely_duplicates_are_found_by_matching(self, studio, jane, dupe):
        services.create_contact(studio=studio, first_name="Peter", last_name="Jones")
        found = merging.likely_duplicates(studio=studio, contact=jane)
        assert [c.contact for c in found] == [dupe]
        assert "same email" in found[0].reasons


class TestMergePages:
    def test_contact_page_links_to_merging(self, auth_client, jane):
        page = auth_client.get(reverse("contacts:detail", args=[jane.pk]))
        assert reverse("contacts:merge", args=[jane.pk]) in page.content.decode()

    def test_pick_page_suggests_duplicates_and_searches(self, auth_client, jane, dupe):
        url = reverse("contacts:merge", args=[jane.pk])
        page = auth_client.get(url).content.decode()
        assert "Likely duplicates" in page and "same email" in page
        assert reverse("contacts:merge_with", args=[jane.pk, dupe.pk]) in page
        found = auth_client.get(url, {"q": "Smyth"}).content.decode()
        assert found.count(reverse("contacts:merge_with", args=[jane.pk, dupe.pk])) == 2
        none = auth_client.get(url, {"q": "Nobody"}).content.decode()
        assert "No other contact matches “Nobody”" in none

    def test_side_by_side_page_offers_a_choice_where_values_differ(self, auth_client, jane, dupe):
        page = auth_client.get(reverse("contacts:merge_with", args=[jane.pk, dupe.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        assert 'name="last_name" value="duplicate"' in html
        assert 'name="first_name"' not in html  # both "Jane": nothing to choose
        assert 'name="notes" value="both" checked' in html
        assert "jane.work@example.com" in html and "cannot be undone" in html

    def test_posting_merges_and_says_so(self, auth_client, studio, jane, dupe):
        url = reverse("contacts:merge_with", args=[jane.pk, dupe.pk])
        response = auth_client.post(url, {"last_name": "duplicate"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("contacts:detail", args=[jane.pk])
        assert f"Jane Smyth (#{dupe.pk}) merged into Jane Smyth." in response.content.decode()
        assert not Contact.objects.filter(pk=dupe.pk).exists()

    def test_posting_returns_to_a_safe_next_page_only(self, auth_client, jane, dupe):
        url = reverse("contacts:merge_with", args=[jane.pk, dupe.pk])
        response = auth_client.post(url, {"next": "https://evil.example/"})
        assert response.url == reverse("contacts:detail", args=[jane.pk])
        other = services.create_contact(studio=jane.studio, first_name="Jane", last_name="S")
        url = reverse("contacts:merge_with", args=[jane.pk, other.pk])
        response = auth_client.post(url, {"next": "/inbox/"})
        assert response.url == "/inbox/"

    def test_bad_choice_is_refused_with_a_message(self, auth_client, jane, dupe):
        url = reverse("contacts:merge_with", args=[jane.pk, dupe.pk])
        response = auth_client.post(url, {"last_name": "both"})
        assert response.status_code == 400
        assert "Nothing was merged" in response.content.decode()
        assert Contact.objects.filter(pk=dupe.pk).exists()

    def test_merging_with_itself_goes_back_to_picking(self, auth_client, jane):
        response = auth_client.get(reverse("contacts:merge_with", args=[jane.pk, jane.pk]))
        assert response.url == reverse("contacts:merge", args=[jane.pk])

    def test_another_studios_contact_is_404(self, auth_client, jane, other_studio_and_owner):
        theirs = services.create_contact(studio=other_studio_and_owner[0], first_name="Not")
        for url in (
            reverse("contacts:merge", args=[theirs.pk]),
            reverse("contacts:merge_with", args=[jane.pk, theirs.pk]),
            reverse("contacts:merge_with", args=[theirs.pk, jane.pk]),
        ):
            assert auth_client.get(url).status_code == 404
            assert auth_client.post(url).status_code == 404
        assert Contact.objects.filter(pk=theirs.pk).exists()

    def test_pages_need_a_login(self, client, jane, dupe):
        response = client.get(reverse("contacts:merge_with", args=[jane.pk, dupe.pk]))
        assert response.status_code == 302


@pytest.mark.browser
def test_merge_a_duplicate_in_the_browser(page, live_server, studio_factory, transactional_db):
    """From the contact page: Merge with… → the suggested duplicate → keep its surname."""
    from playwright.sync_api import expect

    from testkit.browser import log_in

    studio, owner = studio_factory("Lumen Studio", country="GB")
    jane = services.create_contact(
        studio=studio, first_name="Jane", last_name="Smith", emails=["jane@example.com"]
    )
    services.create_contact(
        studio=studio,
        first_name="Jane",
        last_name="Smyth",
        emails=["jane@example.com"],
        phones=["07700 900123"],
    )
    log_in(page, live_server.url, owner.email)

    page.goto(f"{live_server.url}{reverse('contacts:detail', args=[jane.pk])}")
    page.get_by_role("link", name="Merge with…").click()
    suggestions = page.get_by_role("region", name="Likely duplicates")
    expect(suggestions).to_contain_text("same email")
    suggestions.get_by_role("link", name="Choose").click()
    page.get_by_role("radio", name="Smyth").check()
    page.get_by_role("button", name="Merge into Jane Smith").click()

    expect(page.get_by_text("merged into Jane Smyth")).to_be_visible()
    expect(page.get_by_role("heading", name="Jane Smyth")).to_be_visible()
    expect(page.get_by_text("07700 900123")).to_be_visible()
    assert Contact.objects.filter(studio=studio).count() == 1
