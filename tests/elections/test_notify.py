"""The one ``notify``: a mail rendered in the recipient's language and recorded once in the outbox."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from elections.models import OutboxMail
from elections.notify import notify


def _request():
    return SimpleNamespace(pk=7, precinct=SimpleNamespace(number=12), requested_value="Асанов")


def _send(election, language, key=None):
    return notify(
        to=f"{language}@example.org",
        app="voters",
        template="correction_accepted",
        language=language,
        context={"request": _request(), "field": "surname", "election_title": lambda: election.title},
        election=election,
        key=key,
    )


@pytest.mark.django_db
def test_each_recipient_reads_the_mail_in_their_language(election):
    _send(election, "ru")
    _send(election, "en")
    ru = OutboxMail.objects.get(to="ru@example.org")
    en = OutboxMail.objects.get(to="en@example.org")
    assert ru.subject == "Ваше заявление об уточнении № 7 удовлетворено"
    assert en.subject == "Your correction request No. 7 is accepted"
    with translation.override("en"):
        assert "No. 12" in en.body and election.title in en.body  # names computed in the language
    with translation.override("ru"):
        assert election.title in ru.body
    assert ru.kind == en.kind == "voters.correction_accepted"


@pytest.mark.django_db
def test_a_mail_with_a_key_is_recorded_once(election):
    assert _send(election, "ru", key="correction:7") is not None
    assert _send(election, "ru", key="correction:7") is None
    assert OutboxMail.objects.filter(to="ru@example.org").count() == 1


@pytest.mark.django_db
def test_the_election_title_is_in_the_recipient_s_language_whoever_sends(election):
    """election_context gives the title lazily: an English recipient reads the English title even
    when the person whose action sent the mail works in Russian."""
    from elections.notify import election_context

    election.title_ru, election.title_en = "Выборы в совет", "Council election"
    election.save()
    registration = SimpleNamespace(name="Ким", get_status_display=lambda: "Registered")
    with translation.override("ru"):
        for language in ("en", "ru"):
            notify(
                to=f"{language}@example.org",
                app="voters",
                template="registration_duplicate",
                language=language,
                context={"registration": registration, "group_name": "A", "status": "—"},
                election=election,
                time_zone=election.tz,
                defaults=election_context(election),
            )
    mails = {m.to: m.subject + m.body for m in OutboxMail.objects.all()}
    assert "Council election" in mails["en@example.org"] and "Выборы в совет" not in mails["en@example.org"]
    assert "Выборы в совет" in mails["ru@example.org"]
