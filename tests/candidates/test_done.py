"""The issue's "done when", through the UI: a candidate applies with a document, the mandate
commission admits one and refuses another with a reason, the public list shows the admitted
candidate with the programme, a withdrawal after the deadline is refused, and the registered
candidate downloads the certificate."""

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse

from candidates.models import Application
from elections.models import AuditEntry, Decision
from tests.outbox import send_outbox

from .factories import WITHDRAWAL_DUE, pdf_upload

PROGRAMME = "Бесперебойная терапия в каждом регионе и ежеквартальный отчёт перед сообществом."


def _ok(response):
    form = response.context.get("form") if response.context else None
    assert response.status_code == 302, form.errors if form is not None else response.content.decode()[:3000]
    return response


def _apply(client, slug, full_name, programme):
    return _ok(
        client.post(
            reverse("candidates:apply", args=[slug]),
            {"nomination": "self", "contest": "g-a", "full_name": full_name, "organisation": "ОФ «Сообщество»",
             "region": "г. Алматы", "programme": programme, "document": pdf_upload("заявка.pdf"), "consent": "on"},
        )
    )  # fmt: skip


@pytest.mark.django_db
def test_done_when_through_the_ui(client, cand, clock, mailoutbox, django_capture_on_commit_callbacks):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    election, users = cand["election"], cand["users"]
    slug = election.slug
    # the secretariat writes the checklist and publishes the announcement
    client.force_login(users["secretariat"])
    _ok(
        client.post(
            reverse("candidates:criteria", args=[slug]), {"text_ru": "Подписанная форма заявки приложена"}
        )
    )
    _ok(
        client.post(reverse("candidates:publish", args=[slug]), {"action": "publish"})
    )  # no text yet: refused
    assert not election.candidacy_settings.is_published
    settings_page = client.get(reverse("candidates:settings", args=[slug]))
    form = settings_page.context["form"]
    data = {name: form[name].value() for name in form.fields if name != "application_form"}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data["announcement_ru"] = "Секретариат СКК объявляет выдвижение кандидатов."
    _ok(client.post(reverse("candidates:settings", args=[slug]), data))
    _ok(client.post(reverse("candidates:publish", args=[slug]), {"action": "publish"}))
    election.candidacy_settings.refresh_from_db()
    assert election.candidacy_settings.is_published

    # a voter of group A applies with the signed form
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(users["voter_a"])
        _apply(client, slug, "Динара Оспанова", PROGRAMME)
    # a newcomer gets an account by e-mail, sets the password and applies too
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        _ok(client.post(reverse("candidates:signup", args=[slug]),
                        {"full_name": "Болат Искаков", "email": "bolat@example.org", "language": "ru"}))  # fmt: skip
    link = re.search(r"https://portal\.example\.org(/accounts/reset/\S+)", mailoutbox[-1].body).group(1)
    set_password = client.get(link, follow=True)
    _ok(client.post(set_password.redirect_chain[-1][0],
                    {"new_password1": "Sv3zhiy-parol-2030", "new_password2": "Sv3zhiy-parol-2030"}))  # fmt: skip
    assert client.login(email="bolat@example.org", password="Sv3zhiy-parol-2030")
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, slug, "Болат Искаков", "Программа")
    admitted, refused = (
        Application.objects.get(full_name="Динара Оспанова"),
        Application.objects.get(full_name="Болат Искаков"),
    )
    assert admitted.document and refused.document and admitted.user == users["voter_a"]
    assert admitted.notified_status == refused.notified_status == "submitted"  # the receipts went out
    assert {m.to[0] for m in mailoutbox} == {admitted.email, refused.email}

    # the mandate commission of group A reviews and decides
    member = users["commission_a"]
    client.force_login(member)
    listing = client.get(reverse("candidates:applications", args=[slug])).content.decode()
    assert f'data-application="{admitted.pk}"' in listing and f'data-application="{refused.pk}"' in listing
    criterion = election.candidate_criteria.order_by("order").last()
    votes = {f"vote_{m.pk}": "for" for m in cand["voters_a"]}
    with django_capture_on_commit_callbacks(execute=True):
        for application, met in ((admitted, "yes"), (refused, "no")):
            _ok(client.post(reverse("candidates:review", args=[slug, application.pk]),
                            {**{f"met_{c.pk}": met for c in cand["criteria"]}, f"met_{criterion.pk}": met,
                             "recommendation": "admit" if met == "yes" else "refuse"}))  # fmt: skip
        _ok(
            client.post(
                reverse("candidates:decide", args=[slug, admitted.pk]), {"decision": "admit", **votes}
            )
        )
        _ok(client.post(reverse("candidates:decide", args=[slug, refused.pk]),
                        {"decision": "refuse", "reasons": "Не подтверждён опыт работы в сообществе.", **votes}))  # fmt: skip
    admitted.refresh_from_db()
    refused.refresh_from_db()
    assert (admitted.status, refused.status) == ("admitted", "refused")
    assert list(
        Decision.objects.filter(body_key=f"groups.commission:{cand['commission_a'].pk}").values_list(
            "number", "kind", "outcome"
        )
    ) == [
        (1, "candidate_application", "granted"),
        (2, "candidate_application", "refused"),
    ]
    assert refused.refusal_reason == "Не подтверждён опыт работы в сообществе."
    decision_mails = {m.to[0]: m.body for m in mailoutbox[-2:]}
    assert "№ 1" in decision_mails[admitted.email]
    assert "Не подтверждён опыт работы в сообществе." in decision_mails[refused.email]
    assert AuditEntry.objects.filter(action="candidates.application.admitted").count() == 1
    assert AuditEntry.objects.filter(action="candidates.application.refused").count() == 1

    # the public list shows the admitted candidate with the programme, not the refused one
    client.logout()
    public = client.get(reverse("candidates:list", args=[slug])).content.decode()
    assert "Динара Оспанова" in public and "Болат Искаков" not in public
    profile = client.get(reverse("candidates:profile", args=[slug, admitted.pk])).content.decode()
    assert PROGRAMME in profile and admitted.email not in profile

    # a withdrawal after the deadline is refused
    clock.move_to(WITHDRAWAL_DUE + dt.timedelta(hours=2))
    client.force_login(users["voter_a"])
    response = client.post(
        reverse("candidates:withdraw", args=[slug, admitted.pk]), {"confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    admitted.refresh_from_db()
    assert admitted.status == "admitted" and admitted.withdrawn_at is None

    # and the registered candidate downloads the certificate
    certificate = client.get(reverse("candidates:certificate", args=[slug, admitted.pk]))
    assert certificate["Content-Type"] == "application/pdf" and certificate.content.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=certificate.content, capture_output=True, check=True
    ).stdout
    assert "Динара Оспанова" in text.decode()
