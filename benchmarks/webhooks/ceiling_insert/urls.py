from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE = "bench_ceiling_delivery"  # made by run.py (servers.create_ceiling_table)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> JsonResponse:
    # One statement in autocommit: committed (fsync) before the answer.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"ok": True})


urlpatterns = [path("webhook/", webhook)]
