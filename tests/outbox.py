"""Helpers for tests of code that mails through the outbox (elections/outbox.py)."""


def send_outbox() -> dict:
    """Carry out what the outbox holds now, as a worker does after a commit. Inside a test's
    transaction nothing commits, so the kick of rows recorded by fixtures never runs; call this to
    let them leave (e.g. before ``mailoutbox.clear()``), or after calling a beat task directly."""
    from elections.outbox import outbox_drain

    return outbox_drain(seconds=60)
