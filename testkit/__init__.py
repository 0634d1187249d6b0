"""Cyan's test kit: factories built on the services, shared fixtures, the Pic-Time
stand-in and payload helpers. Test-only code: not shipped with the runtime package.

- `testkit.factories`: make_contact, make_shoot, make_sale, line, at (plain functions).
- `testkit.fixtures`: studios, owners, logged-in clients, a browser, bound factories.
- `testkit.standin`: the stand-in server, its user, OAuth round trips, placed orders.
- `testkit.payloads`: Pic-Time order JSON and signed webhook deliveries.
- `testkit.fakes`: an in-memory Pic-Time for unit tests.
"""
