"""The bare views that `make bench` compares with: one INSERT (casting a vote,
benchmarks/bench_voting.py) and one cache read (the public pages under a crowd,
benchmarks/bench_public.py), through the same server and middleware as the real views."""

from django.core.cache import cache
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


@public_view
def bare_cached(request):
    """A blob of ``size`` bytes from the shared cache (stored by the first request)."""
    size = int(request.GET.get("size", "1000"))
    key = f"bench:bare:{size}"
    body = cache.get(key)
    if body is None:
        body = b"x" * size
        cache.set(key, body, None)
    return HttpResponse(body)
