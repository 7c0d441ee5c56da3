"""The write API (issue 21): a precinct commission's token, created by the CEC and shown once,
lets its automated count post preliminary figures as JSON — all or nothing, validated like the
file import — which appear, marked preliminary, on the public page; a revoked or missing token is
refused; everything is audited without the secret."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from api import services
from api.models import ApiToken
from elections.models import AuditEntry
from protocols.models import PreliminaryResult

pytestmark = pytest.mark.django_db


def _post(client, slug, secret, payload):
    return client.post(
        f"/api/v1/elections/{slug}/preliminary/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}" if secret else "",
    )


def test_a_precincts_automated_count_posts_its_preliminary_figures_with_its_token(kg_counting, client):
    k = kg_counting
    slug = k["election"].slug
    with pytest.raises(PermissionDenied):
        services.token_create(commission=k["pecs"][0], actor=k["tec_member"], label="Сканер")
    token, secret = services.token_create(
        commission=k["pecs"][0], actor=k["cec_member"], label="Сканер УИК 1001"
    )
    assert ApiToken.objects.get().key_sha256 != secret and secret not in json.dumps(
        list(AuditEntry.objects.values_list("data", flat=True)), default=str
    )
    codes = [o.code for o in k["options"]]
    good = {
        "contest_id": k["contest"].pk,
        "figures": {"ballots_in_boxes": 600, "ballots_invalid": 0, "ballots_valid": 600},
        "votes": dict(zip(codes, [300, 200, 100], strict=True)),
    }
    assert _post(client, slug, None, good).status_code == 401
    bad = {**good, "figures": {"no_such_line": 5}}
    refused = _post(client, slug, secret, bad)
    assert refused.status_code == 400 and "строка" in refused.json()["detail"]  # in plain words, in Russian
    assert not PreliminaryResult.objects.exists()
    assert _post(client, slug, secret, {**good, "contest_id": 999999}).status_code == 400
    posted = _post(client, slug, secret, good)
    assert posted.status_code == 201 and posted.json()["precinct_number"] == k["precincts"][0].number
    row = PreliminaryResult.objects.get()
    assert row.source == "automated" and row.unit == k["precincts"][0]
    page = client.get(f"/api/v1/elections/{slug}/preliminary/").json()
    assert page["contests"][0]["reported"] == 1
    services.token_revoke(token=token, actor=k["cec_member"])
    assert _post(client, slug, secret, good).status_code == 401
    actions = set(AuditEntry.objects.filter(action__startswith="api.").values_list("action", flat=True))
    assert actions == {"api.token.created", "api.preliminary.posted", "api.token.revoked"}


def test_the_tokens_page_shows_the_secret_once(kg_counting, client):
    k = kg_counting
    url = reverse("api_tokens", args=[k["election"].slug])
    client.force_login(k["cec_member"])
    created = client.post(url, {"commission": k["pecs"][1].pk, "label": "Сканер УИК 1002"}).content.decode()
    secret = created.split('<code class="user-select-all">')[1].split("</code>")[0]
    assert secret.startswith("ep_") and ApiToken.objects.count() == 1
    assert secret not in client.get(url).content.decode()
    client.force_login(k["tec_member"])
    assert client.post(url, {"commission": k["pecs"][1].pk, "label": "x"}).status_code in (200, 403)
    assert ApiToken.objects.count() == 1
