"""The bare view that `make bench` compares casting a vote with: one INSERT, same stack."""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.access import public_view


@public_view
@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_rows (note) VALUES (%s)", ["x"])
    return HttpResponse("ok")
