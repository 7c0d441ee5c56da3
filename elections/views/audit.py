"""The public audit-log pages: the current head, the heads published before, and the signed head
with the certificate that verifies it, for anyone to keep and check offline."""

import base64
import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.views import View
from django.views.generic import TemplateView

from accounts.access import Public

from .. import audit_anchors
from ..audit import current_head
from ..models import PublishedHead

HISTORY_PAGE = 50


class AuditHeadView(Public, TemplateView):
    """Public: the number of audit entries and the current head hash, the heads published before
    with their times (newest first), the latest signed head and how to check it."""

    template_name = "elections/audit_head.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["seq"], ctx["head_hash"], ctx["updated_at"] = current_head()
        heads = PublishedHead.objects.order_by("-id")
        ctx["page"] = Paginator(heads, HISTORY_PAGE).get_page(self.request.GET.get("page"))
        ctx["signed"] = audit_anchors.latest_signed_head()
        ctx["has_certificate"] = audit_anchors.signing_certificate() is not None
        return ctx


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


class AuditHeadsJsonView(Public, View):
    """Public: every published head with its time and signature, as JSON (``verify_audit --since``
    reads this file)."""

    def get(self, request, *args, **kwargs):
        document = audit_anchors.history_document(PublishedHead.objects.order_by("id").iterator())
        return _download(
            json.dumps(document, ensure_ascii=False, indent=1),
            "application/json; charset=utf-8",
            "audit-heads.json",
        )


class AuditSignedHeadView(Public, View):
    """Public: the latest signed head — the exact signed statement (``head.json``) or its detached
    signature (``head.json.sig``, binary)."""

    part = "statement"

    def get(self, request, *args, **kwargs):
        head = audit_anchors.latest_signed_head()
        if head is None:
            raise Http404
        if self.part == "signature":
            return _download(base64.b64decode(head.signature), "application/octet-stream", "head.json.sig")
        return _download(head.statement.encode("utf-8"), "application/json; charset=utf-8", "head.json")


class AuditCertificateView(Public, View):
    """Public: the portal's certificate (PEM) that verifies the signed heads."""

    def get(self, request, *args, **kwargs):
        cert_pem = audit_anchors.signing_certificate()
        if cert_pem is None:
            raise Http404
        return _download(cert_pem, "application/x-pem-file", "certificate.pem")
