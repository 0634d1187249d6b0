from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact
from contacts.services import create_contact
from galleries.providers.pictime.orders import map_order
from inbox.import_window import plan_import
from inbox.importing import bulk_import, import_item, unimport_item
from inbox.models import InboxItem
from sales.models import Sale
from testkit.factories import make_shoot as shoot
from testkit.factories import receive
from testkit.payloads import order_json


@pytest.mark.django_db
def test_known_client_is_linked_to_her_most_recent_confirmed_shoot(studio, ada):
    older = shoot(studio, ada, "Spring portraits", datetime(2026, 3, 1, tzinfo=UTC))
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    shoot(studio, ada, "Future", datetime(2026, 9, 1, tzinfo=UTC))  # after the order
    shoot(studio, ada, "Enquiry only", datetime(2026, 4, 25, tzinfo=UTC), status="enquiry")
    item = receive(studio, discount=300, refunds=[500])

    plan = plan_import(item=item)
    assert plan.certain_contact == ada and plan.offered_shoot == recent
    assert older in plan.other_shoots
    assert "same email" in " ".join(plan.match.best.reasons)

    sale = import_item(item=item)
    order = map_order(order_json(order_id="ord_0001", discount=300, refunds=[500]))
    assert (sale.contact, sale.shoot, sale.source, sale.external_ref) == (
        ada,
        recent,
        "pictime",
        "PT-0001",  # the order number the client saw
    )
    assert sale.total_minor == order.total_minor
    assert sale.subtotal_minor == order.subtotal_minor and sale.tax_minor == order.tax_minor
    assert (sale.shipping_minor, sale.order_discount_minor) == (900, 300)
    assert sale.paid_minor == order.amount_paid_minor and sale.refunded_minor == 500
    assert sale.platform_fee_minor == order.fees.platform_fee_minor
    assert sale.payment_collected_by == "provider" and sale.discount_code == "SPRING"
    assert (sale.gallery_id, sale.gallery_name) == ("gal_smith", "Smith Wedding")
    lines = list(sale.lines.order_by("position"))
    assert [(ln.description, ln.product_kind, ln.quantity, ln.total_minor) for ln in lines] == [
        (line.name, line.kind, line.quantity, line.total_minor) for line in order.lines
    ]
    assert lines[0].options == {"size": "8x10", "paper": "lustre"}
    item.refresh_from_db()
    assert item.state == "imported" and item.sale == sale


@pytest.mark.django_db
def test_importing_twice_gives_one_sale(studio, ada):
    item = receive(studio)
    first = import_item(item=item)
    second = import_item(item=InboxItem.objects.get(pk=item.pk))
    assert first == second and Sale.objects.count() == 1


@pytest.mark.django_db
def test_unknown_client_needs_a_choice_or_the_create_option(studio):
    item = receive(studio, first_name="Nour", last_name="Haddad", email="nour@example.com")
    with pytest.raises(ValidationError, match="Create a new contact"):
        import_item(item=item)
    assert not Sale.objects.exists() and not Contact.objects.exists()

    sale = import_item(item=item, create_contact=True)
    contact = sale.contact
    assert (contact.first_name, contact.last_name, contact.source) == ("Nour", "Haddad", "pictime")
    assert contact.emails.get().email_normalized == "nour@example.com"
    assert contact.phones.get().e164 == "+442079460958"
    assert contact.addresses.get().postcode == "N1 9GU"
    assert sale.shoot is None
    import_item(item=item, create_contact=True)
    assert Contact.objects.count() == 1 and Sale.objects.count() == 1


@pytest.mark.django_db
def test_details_the_contact_lacks_are_offered_and_added_only_when_ticked(studio, ada):
    item = receive(studio)
    plan = plan_import(item=item, contact=ada)
    assert {m.key for m in plan.missing} == {"phone", "billing_address"}
    import_item(item=item, contact_id=ada.pk, add_details=["phone"])
    assert ada.phones.get().e164 == "+442079460958"
    assert not ada.addresses.exists()


@pytest.mark.django_db
def test_chosen_contact_and_shoot_or_no_shoot(studio, ada):
    other = create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    s = shoot(studio, other, "Hopper portraits", datetime(2026, 1, 5, tzinfo=UTC))
    sale = import_item(item=receive(studio, 1), contact_id=other.pk, shoot=s.pk)
    assert (sale.contact, sale.shoot) == (other, s)
    sale2 = import_item(item=receive(studio, 2), contact_id=other.pk, shoot="none")
    assert sale2.shoot is None


@pytest.mark.django_db
def test_another_studios_contact_cannot_be_chosen(studio, other_studio_and_owner):
    stranger = create_contact(studio=other_studio_and_owner[0], first_name="X", last_name="Y")
    with pytest.raises(ValidationError, match="No such contact"):
        import_item(item=receive(studio), contact_id=stranger.pk)
    assert not Sale.objects.exists()


@pytest.mark.django_db
def test_unimport_deletes_the_sale_and_the_item_can_be_imported_again(studio, ada):
    item = receive(studio)
    import_item(item=item)
    unimport_item(item=item)
    assert not Sale.objects.exists()
    assert InboxItem.objects.get().state == "new"
    import_item(item=item)
    assert Sale.objects.count() == 1


@pytest.mark.django_db
def test_bulk_import_takes_certain_matches_and_says_why_it_left_the_rest(studio, ada):
    create_contact(studio=studio, first_name="John", last_name="Smith", emails=["j1@example.com"])
    create_contact(studio=studio, first_name="John", last_name="Smith", emails=["j2@example.com"])
    certain = receive(studio, 1)
    ambiguous = receive(studio, 2, first_name="John", last_name="Smith", email="js@example.net")
    unknown = receive(studio, 3, first_name="Zed", last_name="Quux", email="zed@example.org")
    result = bulk_import(studio=studio, item_ids=[certain.pk, ambiguous.pk, unknown.pk])
    assert [item.pk for item, _ in result.imported] == [certain.pk]
    reasons = dict((item.pk, why) for item, why in result.left)
    assert "possible contacts" in reasons[ambiguous.pk]
    assert "no matching contact" in reasons[unknown.pk]


@pytest.mark.django_db
def test_auto_import_preference_imports_certain_matches_as_they_arrive(
    studio, ada, django_capture_on_commit_callbacks
):
    studio.auto_import_certain_matches = True
    studio.save()
    with django_capture_on_commit_callbacks(execute=True):
        certain = receive(studio, 1)
        unsure = receive(studio, 2, first_name="Zed", last_name="Quux", email="zed@example.org")
    assert InboxItem.objects.get(pk=certain.pk).state == "imported"
    assert InboxItem.objects.get(pk=unsure.pk).state == "new"


@pytest.mark.django_db
def test_a_later_refund_and_cancellation_update_the_imported_sale(studio, ada):
    item = receive(studio)
    sale = import_item(item=item)
    receive(studio, refunds=[500], updated_at="2026-05-05T10:00:00Z")
    sale.refresh_from_db()
    assert sale.refunded_minor == 500
    receive(studio, refunds=[500], status="cancelled", updated_at="2026-05-06T10:00:00Z")
    sale.refresh_from_db()
    assert sale.status == "cancelled" and sale.refunds.count() == 1
    notes = list(item.deliveries.values_list("note", flat=True))
    assert any("refund $5.00 added" in n for n in notes) and any(
        "sale cancelled" in n for n in notes
    )


@pytest.mark.django_db
def test_the_shoot_records_the_gallery_its_order_came_from(studio, ada):
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    sale = import_item(item=item)
    recent.refresh_from_db()
    order = item.order
    assert sale.shoot == recent
    assert (recent.gallery_provider, recent.gallery_id) == ("pictime", order.gallery.id)
    assert recent.gallery_url == order.gallery.url


@pytest.mark.django_db
def test_a_gallery_is_never_taken_from_another_shoot_nor_overwritten(studio, ada):
    holder = shoot(studio, ada, "Wedding", datetime(2026, 3, 1, tzinfo=UTC))
    order = receive(studio).order
    holder.gallery_provider, holder.gallery_id = "pictime", order.gallery.id
    holder.save()
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    own = shoot(studio, ada, "Portraits", datetime(2026, 4, 21, tzinfo=UTC))
    own.gallery_provider, own.gallery_id = "pictime", "gal_other"
    own.save()
    import_item(item=InboxItem.objects.get(external_id="ord_0001"), shoot=recent.pk)
    recent.refresh_from_db()
    own.refresh_from_db()
    assert recent.gallery_id == "" and own.gallery_id == "gal_other"
    assert Sale.objects.get().shoot == recent


@pytest.mark.django_db(transaction=True)
def test_auto_import_is_enqueued_in_the_transaction_that_receives_the_order(studio, ada, settings):
    """With the database task backend the auto-import is a row written with the item: a
    worker dying right after the commit cannot leave a certain match un-imported."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from inbox.auto_import import auto_import_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    studio.auto_import_certain_matches = True
    studio.save()
    tasks = DBTaskResult.objects.filter(task_path=auto_import_task.module_path)
    with transaction.atomic():
        item = receive(studio, 1)
        assert tasks.filter(args_kwargs__args=[item.pk]).exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        receive(studio, 2)
        raise RuntimeError("the intake failed")
    assert tasks.count() == 1 and InboxItem.objects.count() == 1
