"""The bare views that `make bench` compares with: one INSERT (casting a vote,
benchmarks/bench_voting.py) and one cache read (the public pages under a crowd,
benchmarks/bench_public.py), through the same server and middleware as the real views."""

import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
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
    """A blob of ``size`` bytes from the shared cache (stored by the first request), with an ETag
    and 304 to a visitor who holds it: the least a cached page can cost. With ``every``, the blob
    counts as changed every that many seconds (a new ETag), as a page whose data keeps changing."""
    size = int(request.GET.get("size", "1000"))
    every = float(request.GET.get("every", "0"))
    etag = f'"bench-{size}-{int(time.time() // every) if every else 0}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        key = f"bench:bare:{size}"
        body = cache.get(key)
        if body is None:
            body = b"x" * size
            cache.set(key, body, None)
        response = HttpResponse(body)
    response["ETag"] = etag
    return response
