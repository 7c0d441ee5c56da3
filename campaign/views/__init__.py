"""Pages of the campaign: representatives and proxies (the TEC, observers; the public
verification of a credential), election funds (public summaries; the financial representative's
reports; the commission's decisions)."""

from .funds import FundListView, FundView
from .public import EventsView, MediaDocumentView, MediaView, NoticePdfView, NoticesView, WhereView
from .representatives import (
    CredentialPdfView,
    RepresentativeListView,
    RepresentativeView,
    VerifyView,
)

__all__ = [
    "EventsView",
    "MediaDocumentView",
    "MediaView",
    "NoticePdfView",
    "NoticesView",
    "WhereView",
    "CredentialPdfView",
    "FundListView",
    "FundView",
    "RepresentativeListView",
    "RepresentativeView",
    "VerifyView",
]
