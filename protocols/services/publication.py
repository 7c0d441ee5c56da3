"""Subscribers to published results and the results mail (seed 000 item 24: "distribution
through the national mailing list"; seed 003 item 56: general data to the media).

* ``results_subscribe`` — an address asks for the results of an election; a confirmation link is
  mailed (double opt-in). Nothing is sent to an address that is already subscribed.
* ``results_confirm`` / ``results_unsubscribe`` — by the token in the mailed links.
* ``results_mail_subscribers`` — one mail per confirmed subscriber, once: the ``ResultMailing``
  row is written in the transaction that records the mail in the outbox (``elections/outbox.py``,
  which sends it once), so a retried task never mails twice. Each
  mail goes to one address (no copies), in the subscriber's language, with an unsubscribe link.

The mail holds the published figures only (candidates' names as on the ballot, numbers); never
another subscriber's address or any voter's data.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from elections.audit import audit_log
from elections.models import Election
from elections.outbox import mail_enqueue, task_enqueue

from ..models import ResultMailing, ResultSubscription
from ..models.publication import new_token

log = logging.getLogger(__name__)

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _url(name: str, election: Election, *args, language: str) -> str:
    with translation.override(language):
        return _absolute(reverse(f"protocols:{name}", args=[election.slug, *args]))


def _language(language: str) -> str:
    language = (language or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _send(
    *, to: str, language: str, template: str, context: dict, election: Election, unsubscribe_url="", topic=""
):
    """Render ``protocols/public/email/<template>{_subject}.txt`` in ``language`` and record it in
    the outbox for one address (sent after the commit)."""
    with translation.override(language), timezone.override(election.tz):
        ctx = {"election": election, "site_url": settings.SITE_URL, **context}
        for name, build in list(ctx.items()):
            if callable(build):
                ctx[name] = build()
        subject = render_to_string(f"protocols/public/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"protocols/public/email/{template}.txt", ctx)
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    mail_enqueue(
        to=to,
        subject=subject,
        body=body,
        kind=f"protocols.{template}",
        election=election,
        headers=headers,
        topic=topic,
    )


def _queue_mail(election: Election) -> None:
    """The results mailing as an outbox task, in the caller's transaction."""
    from protocols.tasks.publication import mail_results

    task_enqueue(mail_results.name, election.pk)


@transaction.atomic
def results_subscribe(*, election: Election, email: str, language: str = "") -> ResultSubscription:
    """Subscribe ``email`` to the results of ``election``: a confirmation link is mailed (double
    opt-in, seed 000 item 24). Subscribing again after unsubscribing needs a new confirmation;
    an address already subscribed gets nothing (the page answers the same either way)."""
    if not election.is_public:
        raise ValidationError(_("This election is not public."))
    email = ResultSubscription._meta.get_field("email").clean(email.strip(), None)
    email = email[: email.rfind("@")] + email[email.rfind("@") :].lower()
    language = _language(language)
    sub = (
        ResultSubscription.objects.select_for_update().filter(election=election, email__iexact=email).first()
    )
    if sub is not None and sub.is_active:
        return sub
    if sub is None:
        sub = ResultSubscription(election=election, email=email, language=language)
    else:
        sub.token = new_token()  # old links stop working
        sub.confirmed_at = None
        sub.unsubscribed_at = None
        sub.language = language
    sub.full_clean()
    sub.save()
    audit_log(
        action="protocols.subscription.requested",
        actor=None,
        obj=sub,
        election=election,
        data={"subscription": sub.pk, "language": language},
    )
    token = sub.token
    to = sub.email

    _send(
        to=to,
        language=language,
        template="confirm",
        election=election,
        topic=f"protocols.subscription:{sub.pk}",  # a new link replaces a waiting older one
        context={
            "confirm_url": _url("results_confirm", election, token, language=language),
            "results_url": _url("results", election, language=language),
        },
    )
    return sub


def subscription_by_token(token: str) -> ResultSubscription | None:
    if not token:
        return None
    return ResultSubscription.objects.select_related("election").filter(token=token).first()


@transaction.atomic
def results_confirm(*, token: str) -> ResultSubscription | None:
    """Confirm a subscription by its link; if the results are already published, the results
    mail follows (still at most once)."""
    sub = ResultSubscription.objects.select_for_update().filter(token=token).first()
    if sub is None or sub.unsubscribed_at is not None:
        return None
    if sub.confirmed_at is None:
        sub.confirmed_at = timezone.now()
        sub.save(update_fields=["confirmed_at"])
        audit_log(
            action="protocols.subscription.confirmed",
            actor=None,
            obj=sub,
            election=sub.election,
            data={"subscription": sub.pk},
        )
        if sub.election is not None and sub.election.state in (
            Election.State.PUBLISHED,
            Election.State.ARCHIVED,
        ):
            _queue_mail(sub.election)
    return sub


@transaction.atomic
def results_unsubscribe(*, token: str) -> ResultSubscription | None:
    """Stop the mails to a subscription (the link is in every mail)."""
    sub = ResultSubscription.objects.select_for_update().filter(token=token).first()
    if sub is None:
        return None
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = timezone.now()
        sub.save(update_fields=["unsubscribed_at"])
        audit_log(
            action="protocols.subscription.unsubscribed",
            actor=None,
            obj=sub,
            election=sub.election,
            data={"subscription": sub.pk},
        )
    return sub


def _summary(election: Election):
    """What the mail says, computed in the recipient's language (a callable for ``_send``)."""
    from protocols import publication_selectors as ps

    def build():
        return ps.election_results(election)

    return build


def results_mail_subscribers(*, election: Election) -> int:
    """Mail the published results to every confirmed subscriber of ``election`` (and of all
    elections) who has not had them yet. Each mail is recorded in the outbox in the transaction
    that writes its ``ResultMailing`` row (unique per election and subscriber): a row that exists
    is never mailed again, and the outbox sends each mail once, retrying while the mail server is
    unavailable. Returns the number queued."""
    if election.state not in (Election.State.PUBLISHED, Election.State.ARCHIVED):
        return 0
    subscriptions = (
        ResultSubscription.objects.filter(
            Q(election=election) | Q(election__isnull=True),
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
        )
        .exclude(mailings__election=election)
        .order_by("pk")
    )
    sent = 0
    results_by_language: dict[str, object] = {}
    for sub in subscriptions.iterator():
        language = _language(sub.language)
        try:
            with transaction.atomic():
                ResultMailing.objects.create(election=election, subscription=sub)
                if language not in results_by_language:
                    with translation.override(language):
                        results_by_language[language] = _summary(election)()
                _send(
                    to=sub.email,
                    language=language,
                    template="results",
                    election=election,
                    unsubscribe_url=_url("results_unsubscribe", election, sub.token, language=language),
                    context={
                        "results": results_by_language[language],
                        "results_url": _url("results", election, language=language),
                        "csv_url": _url("open_data_csv", election, language=language),
                        "json_url": _url("open_data_json", election, language=language),
                        "unsubscribe_url": _url(
                            "results_unsubscribe", election, sub.token, language=language
                        ),
                    },
                )
        except IntegrityError:
            continue  # another worker mailed this subscriber meanwhile
        sent += 1
    if sent:
        audit_log(
            action="protocols.results.mailed",
            actor=None,
            election=election,
            obj=election,
            data={"queued": sent},
        )
    return sent


def results_mail_on_publish(*, election: Election, actor=None) -> None:
    """Lifecycle hook of the "publish" step: record the results mailing in the outbox."""
    _queue_mail(election)
