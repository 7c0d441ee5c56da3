"""Every URL of the groups app × every role → expected status, for GET and POST.

Written out from the specification (issue 4): the public pages are open to all; the secretariat
manages everything; the organising-committee member of group A and the member of commission A
reach group A's private data, never group B's; candidates and voters see public pages only;
observers read their dashboard and get 403 on every POST. POSTs carry no data, so an allowed
form answers 200 with its errors (or 302 back with a message) and nothing changes.
Anonymous users are sent to the login page (302) where a login is needed; 405 is an allowed
user using a method the page does not have.
"""

import pytest
from django.urls import reverse

from elections.models import AuditEntry

ROLES = ("anonymous", "secretariat", "org_committee_a", "commission_a", "candidate_a", "voter_a", "observer")

ARGS = {
    "group_a": lambda b: b["group_a"].slug,
    "group_b": lambda b: b["group_b"].slug,
    "commission_a": lambda b: b["commission_a"].pk,
    "commission_b": lambda b: b["commission_b"].pk,
    "member_a": lambda b: b["member_a"].pk,
    "member_b": lambda b: b["member_b"].pk,
    "precinct": lambda b: b["precinct"].pk,
    "nomination": lambda b: b["pending_nomination"].pk,
    "application_a": lambda b: b["application_a"].pk,
    "application_b": lambda b: b["application_b"].pk,
    "credential": lambda b: b["accredited"].credential_code,
}

PUBLIC_PAGE = ("200 200 200 200 200 200 200", "405 405 405 405 405 405 403")
SECRETARIAT_FORM = ("302 200 403 403 403 403 403", "302 200 403 403 403 403 403")

#                                                 anon sec  oc_a cm_a cand vot  obs
MATRIX = [
    ("groups:list", (), *PUBLIC_PAGE),
    ("groups:group_detail", ("group_a",), *PUBLIC_PAGE),
    ("groups:group_detail", ("group_b",), *PUBLIC_PAGE),
    ("groups:group_regulations", ("group_a",), *PUBLIC_PAGE),
    ("groups:unit_list", (), *PUBLIC_PAGE),
    ("groups:commission_detail", ("commission_a",), *PUBLIC_PAGE),
    ("groups:commission_detail", ("commission_b",), *PUBLIC_PAGE),
    ("groups:observer_list", (), *PUBLIC_PAGE),
    ("groups:observer_verify", ("credential",), *PUBLIC_PAGE),
    ("groups:group_create", (), *SECRETARIAT_FORM),
    ("groups:group_edit", ("group_a",), *SECRETARIAT_FORM),
    ("groups:group_edit", ("group_b",), *SECRETARIAT_FORM),
    ("groups:unit_create", (), *SECRETARIAT_FORM),
    ("groups:unit_import", (), *SECRETARIAT_FORM),
    ("groups:unit_edit", ("precinct",), *SECRETARIAT_FORM),
    ("groups:commission_create", (), *SECRETARIAT_FORM),
    ("groups:commission_edit", ("commission_a",), *SECRETARIAT_FORM),
    ("groups:member_invite", ("commission_a",), *SECRETARIAT_FORM),
    ("groups:member_edit", ("member_a",), *SECRETARIAT_FORM),
    ("groups:member_remove", ("member_a",), *SECRETARIAT_FORM),
    ("groups:member_remove", ("member_b",), *SECRETARIAT_FORM),
    ("groups:commission_members", ("commission_a",),
        "302 200 200 200 403 403 403",
        "302 405 405 405 403 403 403"),
    ("groups:commission_members", ("commission_b",),
        "302 200 403 403 403 403 403",
        "302 405 403 403 403 403 403"),
    ("groups:my_memberships", (),
        "302 200 200 200 200 200 200",
        "302 405 405 405 405 405 403"),
    ("groups:member_declare", ("member_a",),
        "302 405 405 405 405 405 405",
        "302 404 404 200 404 404 403"),
    ("groups:member_declare", ("member_b",),
        "302 405 405 405 405 405 405",
        "302 404 404 404 404 404 403"),
    ("groups:orgcom", (),
        "302 200 200 403 403 403 403",
        "302 405 405 403 403 403 403"),
    ("groups:orgcom_nominate", (),
        "200 200 200 200 200 200 200",
        "200 200 200 200 200 200 403"),
    ("groups:nomination_decide", ("nomination",),
        "302 405 403 403 403 403 403",
        "302 302 403 403 403 403 403"),
    ("groups:nomination_document", ("nomination",),
        "302 200 403 403 403 403 403",
        "302 405 403 403 403 403 403"),
    ("groups:observer_apply", (),
        "200 200 200 200 200 200 200",
        "200 200 200 200 200 200 403"),
    ("groups:observer_credential", ("credential",),
        "302 200 403 403 403 403 200",
        "302 405 405 405 405 405 403"),
    ("groups:observer_applications", (),
        "302 200 200 200 403 403 403",
        "302 200 403 403 403 403 403"),
    ("groups:training", (),
        "302 200 403 200 403 403 200",
        "302 200 403 403 403 403 403"),
    ("groups:budget", (),
        "302 200 403 200 403 403 200",
        "302 302 403 403 403 403 403"),
    ("groups:observer_application", ("application_a",),
        "302 200 200 403 403 403 403",
        "302 200 200 403 403 403 403"),
    ("groups:observer_application", ("application_b",),
        "302 200 403 403 403 403 403",
        "302 200 403 403 403 403 403"),
    ("groups:observer_document", ("application_a",),
        "302 200 200 403 403 403 403",
        "302 405 405 403 403 403 403"),
    ("groups:observer_document", ("application_b",),
        "302 404 403 403 403 403 403",
        "302 405 403 403 403 403 403"),
    ("groups:dashboard", (),
        "302 200 403 403 403 403 200",
        "302 405 403 403 403 403 403"),
]  # fmt: skip


def test_matrix_covers_every_url_of_the_app():
    from groups.urls import urlpatterns

    assert {row[0] for row in MATRIX} == {f"groups:{p.name}" for p in urlpatterns}


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
