"""Every URL of the voters app × every role → expected status, for GET and POST.

Written out from the specification (issue 6): the public pages (landing, registration form and
confirmation, finding one's entry, Form 3, the invitation link) are open to all; a group's
registered voters are for the secretariat, the group's organising-committee member and its
commission (which decides; the committee member only reads); precinct lists, their PDF, Form 3
decisions and changes for the secretariat and that precinct's PEC; imports, the freeze, the
windows and the invitations for the secretariat; observers get 403 on every POST. POSTs carry no
data, so an allowed form answers 200 with its errors (or 302 back with a message), or 400 for a
confirmation link that is not valid, and nothing changes. 405 is an allowed user using a method
the page does not have; 404 a link that is not valid.
"""

import pytest
from django.urls import reverse

from elections.models import AuditEntry

ROLES = (
    "anonymous",
    "secretariat",
    "org_committee_a",
    "commission_a",
    "pec",
    "candidate_a",
    "voter_a",
    "observer",
)

ARGS = {
    "group_a": lambda m: m["group_a"].slug,
    "group_b": lambda m: m["group_b"].slug,
    "person": lambda m: "person",
    "reg_a": lambda m: m["reg_a"].pk,
    "reg_b": lambda m: m["reg_b"].pk,
    "precinct": lambda m: m["precinct"].number,
    "entry": lambda m: m["entry"].pk,
    "correction": lambda m: m["correction"].pk,
    "import": lambda m: m["bad_import"].pk,
    "credential": lambda m: m["credential"].pk,
    "token": lambda m: "not-a-valid-token-0123456789",
    "csv": lambda m: "csv",
}


def _unchanged_settings(m):
    """The windows' form posted as it stands (an empty form would clear them: a real change)."""
    election = m["election"]
    settings = election.voter_settings
    local = lambda value: election.local(value).strftime("%Y-%m-%dT%H:%M") if value else ""  # noqa: E731
    return {
        "registration_opens_at": local(settings.registration_opens_at),
        "registration_closes_at": local(settings.registration_closes_at),
    }


POST_DATA = {"voters:settings": _unchanged_settings}

PUBLIC_PAGE = ("200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 403")
SECRETARIAT_FORM = ("302 200 403 403 403 403 403 403", "302 200 403 403 403 403 403 403")
SECRETARIAT_PAGE = ("302 200 403 403 403 403 403 403", "302 405 403 403 403 403 403 403")

#                                                anon sec  oc_a cm_a pec  cand vot  obs
MATRIX = [
    ("voters:index", (), *PUBLIC_PAGE),
    ("voters:register", (), *PUBLIC_PAGE),
    ("voters:register_form", ("group_a", "person"),
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 403"),
    ("voters:registration_confirm", ("token",),
        "200 200 200 200 200 200 200 200",
        "400 400 400 400 400 400 400 403"),
    ("voters:check", (),
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 403"),
    ("voters:correction_new", (),
        "302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 403"),
    ("voters:invitation", ("token",),
        "404 404 404 404 404 404 404 404",
        "405 405 405 405 405 405 405 403"),
    ("voters:registered_list", ("group_a",),
        "302 200 200 200 403 403 403 403",
        "302 405 405 405 403 403 403 403"),
    ("voters:registered_list", ("group_b",), *SECRETARIAT_PAGE),
    ("voters:registered_export", ("group_a", "csv"),
        "302 200 200 200 403 403 403 403",
        "302 405 405 405 403 403 403 403"),
    ("voters:registered_export", ("group_b", "csv"), *SECRETARIAT_PAGE),
    ("voters:registration_detail", ("reg_a",),
        "302 200 200 200 403 403 403 403",
        "302 200 403 200 403 403 403 403"),
    ("voters:registration_detail", ("reg_b",), *SECRETARIAT_FORM),
    ("voters:settings", (),
        "302 200 403 403 403 403 403 403",
        "302 302 403 403 403 403 403 403"),
    ("voters:lists", (),
        "302 200 403 200 200 403 403 403",
        "302 405 403 405 405 403 403 403"),
    ("voters:import_upload", (), *SECRETARIAT_FORM),
    ("voters:import_detail", ("import",), *SECRETARIAT_FORM),
    ("voters:import_report", ("import",), *SECRETARIAT_PAGE),
    ("voters:freeze", (),
        "302 200 403 403 403 403 403 403",
        "302 302 403 403 403 403 403 403"),
    ("voters:precinct_list", ("precinct",),
        "302 200 403 403 200 403 403 403",
        "302 405 403 403 405 403 403 403"),
    ("voters:precinct_pdf", ("precinct",),
        "302 200 403 403 200 403 403 403",
        "302 405 403 403 405 403 403 403"),
    ("voters:entry_change", ("entry",),
        "302 200 403 403 200 403 403 403",
        "302 200 403 403 200 403 403 403"),
    ("voters:corrections", (),
        "302 200 403 200 200 403 403 403",
        "302 405 403 405 405 403 403 403"),
    ("voters:correction_decide", ("correction",),
        "302 200 403 403 200 403 403 403",
        "302 200 403 403 200 403 403 403"),
    ("voters:correction_document", ("correction",),
        "302 200 403 403 200 403 403 403",
        "302 405 403 403 405 403 403 403"),
    ("voters:credentials", (),
        "302 200 403 403 403 403 403 403",
        "302 302 403 403 403 403 403 403"),
    ("voters:credential_resend", ("credential",),
        "302 405 403 403 403 403 403 403",
        "302 302 403 403 403 403 403 403"),
]  # fmt: skip


def test_matrix_covers_every_url_of_the_app():
    from voters.urls import urlpatterns

    assert {row[0] for row in MATRIX} == {f"voters:{p.name}" for p in urlpatterns}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_permission_matrix(client, matrix, role):
    if role != "anonymous":
        client.force_login(matrix["users"][role])
    slug = matrix["election"].slug
    index = ROLES.index(role)
    audit_before = AuditEntry.objects.count()
    mismatches = []
    for name, arg_keys, get_row, post_row in MATRIX:
        url = reverse(name, args=[slug, *(ARGS[k](matrix) for k in arg_keys)])
        for method, row in (("GET", get_row), ("POST", post_row)):
            expected = int(row.split()[index])
            data = POST_DATA[name](matrix) if name in POST_DATA else {}
            response = client.get(url) if method == "GET" else client.post(url, data)
            if response.status_code != expected:
                mismatches.append((method, name, arg_keys, expected, response.status_code))
    assert mismatches == []
    assert AuditEntry.objects.count() == audit_before  # the empty POSTs changed nothing
