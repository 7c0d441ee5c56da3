"""The public audit page: anyone opens it from the footer, reads the heads the portal published
with their times, downloads the list and the signed head, and the list kept that way is what
``verify_audit --since`` checks the log against later."""

import json

from django.core.management import call_command

from elections import signing
from elections.audit import audit_log, current_head
from elections.models import PublishedHead
from elections.tasks import publish_audit_head

from .setup import ccm_election


def test_anyone_reads_and_keeps_the_published_heads(portal, settings, tmp_path):
    key_pem, cert_pem = signing.generate_self_signed()
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    ccm_election()  # its services write the audit log
    publish_audit_head()
    audit_log(action="tests.page.visited", data={"page": "audit"})
    publish_audit_head()
    seq, head_hash, _at = current_head()
    page = portal.page

    portal.goto("/en/")
    page.locator("footer").get_by_role("link", name="Audit log integrity").click()
    page.wait_for_url("**/en/audit/")
    assert page.locator("#audit-head").inner_text().strip() == head_hash
    rows = page.locator("#published-heads tbody tr")
    assert rows.count() == 2
    newest = rows.first.inner_text()
    assert head_hash in newest and str(seq) in newest and "Regular publication" in newest
    portal.shot("audit-head-history")
    portal.axe(name="audit-head")

    with page.expect_download() as info:
        page.locator("#download-heads").click()
    kept = tmp_path / info.value.suggested_filename
    info.value.save_as(kept)
    assert kept.name == "audit-heads.json"
    document = json.loads(kept.read_text(encoding="utf-8"))
    assert [h["head_hash"] for h in document["heads"]] == list(
        PublishedHead.objects.order_by("id").values_list("hash", flat=True)
    )
    with page.expect_download() as info:
        page.get_by_role("link", name="Signature (head.json.sig)").click()
    assert info.value.suggested_filename == "head.json.sig"

    call_command("verify_audit", "--since", str(kept))  # the kept list matches the log: exit 0
    portal.shots("/audit/", "audit-head")
