"""Every URL of the candidates app × every role → expected status, for GET and POST.

Written out from the specification (issue 5): the public pages are open to all; the secretariat
manages the settings and sees every application; the organising-committee member of group A and
the members of commission A reach group A's applications, never group B's (the member of
commission B reaches B's only); only commission members decide; a candidate reaches their own
application and certificate; a party's representative keeps their own lists; voters see public
pages only; observers read and get 403 on every POST. POSTs carry no data, so an allowed form
answers 200 with its errors (or 302 back with a message) and nothing changes. Anonymous users
are sent to the login page (302) where a login is needed; 405 is an allowed user using a method
the page does not have; 404 is an object that is not there for anyone allowed to look.
"""

import pytest
from django.urls import reverse

from candidates import services
from elections.models import AuditEntry

from .factories import ApplicationFactory, admit, pdf_upload, png_upload

ROLES = (
    "anonymous", "secretariat", "org_committee_a", "commission_a", "candidate_a", "voter_a", "observer",
    "member_b", "party_rep",
)  # fmt: skip

ARGS = {
    "application_a": lambda m: m["application_a"].pk,
    "application_b": lambda m: m["application_b"].pk,
    "registered_a": lambda m: m["registered_a"].pk,
    "code_a": lambda m: m["registered_a"].certificate_code,
    "party_list": lambda m: m["party_list"].pk,
    "criterion": lambda m: m["criteria"][0].pk,
    "g-a": lambda m: "g-a",
    "g-b": lambda m: "g-b",
    "d-1": lambda m: "d-1",
}

PUBLIC_PAGE = ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 403 405 405")
SECRETARIAT_FORM = ("302 200 403 403 403 403 403 403 403", "302 200 403 403 403 403 403 403 403")
SECRETARIAT_ACTION = ("302 405 403 403 403 403 403 403 403", "302 302 403 403 403 403 403 403 403")
PRIVATE_A = ("302 200 200 200 403 403 403 403 403", "302 405 405 405 403 403 403 403 403")
PRIVATE_B = ("302 200 403 403 403 403 403 200 403", "302 405 403 403 403 403 403 405 403")
DECIDE_A = ("302 403 403 405 403 403 403 403 403", "302 403 403 200 403 403 403 403 403")
DECIDE_B = ("302 403 403 403 403 403 403 405 403", "302 403 403 403 403 403 403 200 403")
PARTY = ("302 200 403 403 403 403 403 403 200", "302 405 403 403 403 403 403 403 405")

#                                                       anon sec  oc_a cm_a cand vot  obs  cm_b rep
MATRIX = [
    ("candidates:list", (), *PUBLIC_PAGE),
    ("candidates:announcement", (), *PUBLIC_PAGE),
    ("candidates:application_form", (), *PUBLIC_PAGE),
    ("candidates:profile", ("registered_a",), *PUBLIC_PAGE),
    ("candidates:profile", ("application_a",),
        "404 404 404 404 404 404 404 404 404",
        "405 405 405 405 405 405 403 405 405"),
    ("candidates:photo", ("registered_a",), *PUBLIC_PAGE),
    ("candidates:open_data_csv", (), *PUBLIC_PAGE),
    ("candidates:open_data_json", (), *PUBLIC_PAGE),
    ("candidates:verify", ("code_a",), *PUBLIC_PAGE),
    ("candidates:signup", (),
        "200 302 302 302 302 302 302 302 302",
        "200 200 200 200 200 200 403 200 200"),
    ("candidates:apply", (),
        "302 200 200 200 200 200 200 200 200",
        "302 200 200 200 200 200 403 200 200"),
    ("candidates:mine", (),
        "302 200 200 200 200 200 200 200 200",
        "302 405 405 405 405 405 403 405 405"),
    ("candidates:withdraw", ("application_a",),
        "302 405 405 405 405 405 405 405 405",
        "302 302 403 403 403 403 403 403 403"),
    ("candidates:withdraw", ("registered_a",),
        "302 405 405 405 405 405 405 405 405",
        "302 302 403 403 302 403 403 403 403"),
    ("candidates:certificate", ("registered_a",),
        "302 200 200 200 200 403 403 403 403",
        "302 405 405 405 405 403 403 403 403"),
    ("candidates:certificate", ("application_a",),
        "302 404 404 404 403 403 403 403 403",
        "302 405 405 405 403 403 403 403 403"),
    ("candidates:party_lists", (),
        "302 200 403 403 403 403 403 403 200",
        "302 200 403 403 403 403 403 403 200"),
    ("candidates:party_list", ("party_list",), *PARTY),
    ("candidates:party_list_withdraw", ("party_list",),
        "302 405 403 403 403 403 403 403 405",
        "302 302 403 403 403 403 403 403 302"),
    ("candidates:applications", (),
        "302 200 200 200 403 403 403 200 403",
        "302 405 405 405 403 403 403 405 403"),
    ("candidates:application", ("application_a",), *PRIVATE_A),
    ("candidates:application", ("application_b",), *PRIVATE_B),
    ("candidates:document", ("application_a",), *PRIVATE_A),
    ("candidates:document", ("application_b",), *PRIVATE_B),
    ("candidates:review", ("application_a",), *DECIDE_A),
    ("candidates:review", ("application_b",), *DECIDE_B),
    ("candidates:decide", ("application_a",), *DECIDE_A),
    ("candidates:decide", ("application_b",), *DECIDE_B),
    ("candidates:cancel", ("registered_a",), *DECIDE_A),
    ("candidates:package", ("g-a",), *PRIVATE_A),
    ("candidates:package", ("g-b",), *PRIVATE_B),
    ("candidates:package", ("d-1",),
        "302 200 403 403 403 403 403 403 403",
        "302 405 403 403 403 403 403 403 403"),
    ("candidates:package_csv", ("g-a",), *PRIVATE_A),
    ("candidates:package_pdf", ("g-b",), *PRIVATE_B),
    ("candidates:settings", (), *SECRETARIAT_FORM),
    ("candidates:publish", (), *SECRETARIAT_ACTION),
    ("candidates:criteria", (), *SECRETARIAT_FORM),
    ("candidates:criterion_delete", ("criterion",), *SECRETARIAT_ACTION),
]  # fmt: skip


@pytest.fixture
def built(cand):
    """Applications in groups A and B, a registered candidate of group A (self-nominated by the
    candidate-A user, with a photo), a party list of the representative, a published
    announcement with its form, and a review that uses the first criterion."""
    election, users = cand["election"], cand["users"]
    application_a = ApplicationFactory(election=election, group=cand["group_a"])
    application_b = ApplicationFactory(election=election, group=cand["group_b"])
    registered_a = ApplicationFactory(
        election=election,
        group=cand["group_a"],
        actor=users["candidate_a"],
        nomination="self",
        photo=png_upload(),
    )
    admit(registered_a, cand["voters_a"])
    registered_a.refresh_from_db()
    services.review_record(
        application=application_a,
        actor=users["commission_a"],
        checks={c.pk: (True, "") for c in cand["criteria"]},
    )
    party_list = services.party_list_create(
        election=election, unit=cand["district"], party_name="Партия «Новый путь»", actor=users["party_rep"]
    )
    services.candidacy_settings_update(
        election=election,
        actor=None,
        announcement_ru="Объявление о выдвижении",
        application_form=pdf_upload("form.pdf"),
    )
    services.announcement_publish(election=election, actor=None)
    return dict(
        cand,
        application_a=application_a,
        application_b=application_b,
        registered_a=registered_a,
        party_list=party_list,
    )


def test_matrix_covers_every_url_of_the_app():
    from candidates.urls import urlpatterns

    assert {row[0] for row in MATRIX} == {f"candidates:{p.name}" for p in urlpatterns}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_permission_matrix(client, built, role):
    if role != "anonymous":
        client.force_login(built["users"][role])
    slug = built["election"].slug
    index = ROLES.index(role)
    audit_before = AuditEntry.objects.count()
    mismatches = []
    for name, arg_keys, get_row, post_row in MATRIX:
        url = reverse(name, args=[slug, *(ARGS[k](built) for k in arg_keys)])
        for method, row in (("GET", get_row), ("POST", post_row)):
            expected = int(row.split()[index])
            response = client.get(url) if method == "GET" else client.post(url, {})
            if response.status_code != expected:
                mismatches.append((method, name, arg_keys, expected, response.status_code))
    assert mismatches == []
    assert AuditEntry.objects.count() == audit_before  # the empty POSTs changed nothing
