"""The shared cache's database backend (used when no Redis is configured).

Django's DatabaseCache implements `incr` as get-then-set, so two processes counting the
same key can both read 5 and both write 6, and `set` resets the key's expiry. Throttles
need neither: here `incr` locks the row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialize writers) and updates the value alone, keeping the
expiry the counter was created with.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        db_key = self.make_and_validate_key(key, version=version)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}", [db_key])
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, db_key])
        return value
