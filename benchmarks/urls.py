"""The site's addresses plus the framework floor: a trivial view through the same server and
middleware, the reference every page is compared with. Served by `make bench` only."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def floor(request):
    return HttpResponse("floor", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *site_urlpatterns]
