"""Protocol PDFs: download one stored (digitally signed) document.

Who may read: before the results are published, whoever may read the protocol itself
(``protocol.view_draft``: the Secretariat, the members of the commission and of the commissions
above it, observers); once the election's results are published (or archived), anybody may read
the signed documents, superseded versions included (a correction never hides the old version).
"""

from django.http import FileResponse, Http404
from django.urls import path
from django.views import View

from accounts.access import CapabilityRequired
from elections.views import ElectionContextMixin

from .. import publication_selectors, selectors
from ..models import ProtocolDocument
from ..services.pdf import document_filename


def may_read_document(user, document: ProtocolDocument) -> bool:
    protocol = document.protocol
    if document.is_signed and protocol.is_frozen and publication_selectors.is_published(protocol.election):
        return True
    return selectors.may_read(user, protocol)


class ProtocolDocumentView(CapabilityRequired, ElectionContextMixin, View):
    """The PDF, shown in the browser, under its stable file name."""

    capability = "protocol.view_draft"  # or public after publication: see may_read_document

    def get_permission_object(self):
        if not hasattr(self, "document"):
            election = self.load_election()
            self.document = (
                ProtocolDocument.objects.select_related(
                    "protocol__election",
                    "protocol__contest__group",
                    "protocol__contest__unit",
                    "protocol__unit",
                    "protocol__commission__parent",
                )
                .filter(pk=self.kwargs["pk"], protocol__election=election)
                .first()
            )
            if self.document is None:
                raise Http404
        return self.document

    def has_permission(self):
        return may_read_document(self.request.user, self.get_permission_object())

    def get(self, request, *args, **kwargs):
        document = self.document
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type="application/pdf", filename=document_filename(document))
        response["X-Content-Type-Options"] = "nosniff"
        return response


urlpatterns: list = [
    path("documents/<int:pk>/", ProtocolDocumentView.as_view(), name="document"),
]
