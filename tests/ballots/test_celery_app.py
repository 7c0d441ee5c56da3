"""Casting decides between "send the confirmation now" (embedded, eager Celery) and "the beat
sends it" (a broker) from the configured Celery app, without importing ``electionportal``
(issue 17): through ``celery.current_app``, which must be the portal's app in every thread a web
server runs requests in, not Celery's unconfigured fallback."""

import threading

from ballots.services import casting
from electionportal.celery import app as portal_app


def test_casting_reads_the_portals_celery_app_in_any_thread():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(casting.celery_app._get_current_object()))
    thread.start()
    thread.join()
    assert seen == [portal_app]
    assert casting.celery_app._get_current_object() is portal_app


def test_a_change_of_the_eager_setting_reaches_casting():
    previous = portal_app.conf.task_always_eager
    try:
        portal_app.conf.task_always_eager = not previous
        assert casting.celery_app.conf.task_always_eager is (not previous)
    finally:
        portal_app.conf.task_always_eager = previous
