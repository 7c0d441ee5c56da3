"""One voter of a chaos run (``scripts/chaos.py``): a patient person with a browser.

From the invitation mail's link the voter follows the real pages: the invitation page, "Open my
ballot" (the link that starts the voting session), the ballot, "Review my ballot", "Confirm and
cast my ballot", the receipt page with the code. On a server error (5xx) or a connection error
the voter waits (1, 2, 4, 8 … seconds, a little at random) and tries the same step again, a
bounded number of times; when the ballot page has forgotten the session, the voter opens the
link from the mail again. The result is a ``chaos_tally.Outcome``.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
from urllib.parse import urlencode, urlsplit

from chaos_tally import DEAD_LINK, GAVE_UP, RECEIPT, RECORDED, REFUSED, Outcome

from benchmarks.live import Client

OPEN_BALLOT = re.compile(rb'id="open-ballot" href="([^"]+)"')
CAST_TOKEN = re.compile(rb'name="cast_token" value="([^"]+)"')
CHOICE = re.compile(rb'name="choice" value="([^"]+)"')
RECEIPT_CODE = re.compile(rb'id="receipt-code">\s*([A-Z0-9-]+)\s*<')


class GiveUp(Exception):
    pass


class Voter:
    def __init__(
        self,
        email: str,
        port: int,
        *,
        rng: random.Random,
        retries: int = 8,
        timeout: float = 20,
        stop: threading.Event | None = None,
    ):
        self.outcome = Outcome(email)
        self.client = Client(port, timeout=timeout)
        self.rng, self.retries = rng, retries
        self.stop = stop or threading.Event()
        self.confirm_unanswered = False  # a confirming POST got no answer: was the ballot cast?

    def _wait(self, attempt: int) -> None:
        pause = min(8.0, 2.0**attempt) * self.rng.uniform(0.5, 1.0)
        if self.stop.wait(pause):
            raise GiveUp("stopped")

    def send(self, method: str, path: str, fields: dict | None = None, *, confirming: bool = False):
        """One step, tried again on a server or connection error; (status, page)."""
        body = urlencode(fields, doseq=True) if fields is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        for attempt in range(self.retries):
            if self.stop.is_set():
                raise GiveUp("stopped")
            try:
                status, page = self.client.request(method, path, body=body, headers=headers)
            except (OSError, http.client.HTTPException):
                self.outcome.connection_errors += 1
                self.client.conn.close()  # the next request opens a new connection
                if confirming:
                    self.confirm_unanswered = True
            else:
                if status < 500:
                    return status, page
                self.outcome.responses_5xx += 1
            self._wait(attempt)
        raise GiveUp(f"{method} {path}: no answer after {self.retries} tries")

    def location(self) -> str:
        target = urlsplit(self.client.headers.get("location", ""))
        return target.path + (f"?{target.query}" if target.query else "")

    def _done(self, result: str, note: str = "", receipt: str | None = None) -> Outcome:
        self.outcome.result, self.outcome.note, self.outcome.receipt = result, note, receipt
        self.client.close()
        return self.outcome

    def vote(self, invitation: str) -> Outcome:
        try:
            return self._vote(invitation)
        except GiveUp as exc:
            return self._done(GAVE_UP, str(exc))

    def _vote(self, invitation: str) -> Outcome:
        for _visit in range(3):  # a forgotten session: the voter opens the mail's link again
            status, page = self.send("GET", invitation)
            if status == 404:
                return self._done(DEAD_LINK, "invitation page: link not valid")
            if b'id="invitation-used"' in page:
                return self._done(RECORDED, "invitation page: already used")
            found = OPEN_BALLOT.search(page)
            if status != 200 or not found:
                return self._done(GAVE_UP, f"invitation page: {status}")
            status, page = self.send("GET", found.group(1).decode())
            if status == 404:
                return self._done(DEAD_LINK, "voting link: not valid")
            if status != 302:
                return self._done(
                    RECORDED if b"ballot-problem" in page else GAVE_UP, f"voting link: {status}"
                )
            ballot = self.location()
            status, page = self.send("GET", ballot)
            if status == 403:
                continue  # no session
            if b'id="ballot-problem"' in page:
                return self._done(RECORDED, "ballot page: already voted")
            token, choices = CAST_TOKEN.search(page), CHOICE.findall(page)
            if status != 200 or not token or not choices:
                return self._done(
                    REFUSED if b'id="ballot-closed"' in page else GAVE_UP, f"ballot page: {status}"
                )
            fields = {"cast_token": token.group(1).decode(), "choice": self.rng.choice(choices).decode()}
            status, page = self.send("POST", ballot, fields)
            if status == 403:
                continue
            if status != 200 or b'id="confirm-vote"' not in page:
                return self._done(GAVE_UP, f"review: {status}")
            return self._confirm(ballot, dict(fields, confirm="1"))
        return self._done(GAVE_UP, "the session was lost three times")

    def _confirm(self, ballot: str, fields: dict) -> Outcome:
        status, page = self.send("POST", ballot, fields, confirming=True)
        if status == 302:
            receipt = self.location()
            try:
                status, page = self.send("GET", receipt)
            except GiveUp:
                return self._done(RECORDED, "cast, but the receipt page never came")
            found = RECEIPT_CODE.search(page)
            if status == 200 and found:
                return self._done(RECEIPT, receipt=found.group(1).decode())
            return self._done(RECORDED, f"cast, receipt page: {status}")
        if status == 200 and b'id="ballot-errors"' in page and self.confirm_unanswered:
            # "You have already voted": the unanswered try had cast the ballot
            return self._done(RECORDED, "confirm: already voted after an unanswered try")
        return self._done(REFUSED, f"confirm: {status}")
