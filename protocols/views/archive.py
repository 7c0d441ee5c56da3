"""The archive page of the secretariat (seed 000 item 23): the election's archive ZIPs, building
one for the whole election or for one group (queued; the request does not wait), downloading
one, and when the personal data will be purged (docs/retention.md). Capability ``archive.manage``.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from elections.outbox import task_enqueue
from elections.views import ElectionContextMixin

from .. import archive_selectors as sel


class ArchiveListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "archive.manage"
    template_name = "protocols/archive/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        election = self.election
        purged = sel.is_purged(election)
        ctx.update(
            archives=list(sel.archives_of(election)),
            groups=list(election.groups.order_by("name_ru")),
            may_build=election.state in sel.ARCHIVABLE_STATES and not purged,
            covered_at=sel.coverage_at(election),
            missing_groups=sel.missing_group_archives(election),
            retention_days=sel.retention_days(),
            purge_due_at=sel.purge_due_at(election),
            purge_blockers=sel.purge_blockers(election),
            is_purged=purged,
        )
        return ctx


class ArchiveBuildView(CapabilityRequired, ElectionContextMixin, View):
    """Queue the build of an archive of the election (``group`` empty) or of one group."""

    capability = "archive.manage"

    def post(self, request, *args, **kwargs):
        from ..tasks.archive import build_archive

        election = self.election
        group_id = request.POST.get("group", "").strip()
        group = None
        if group_id:
            group = election.groups.filter(pk=group_id).first() if group_id.isdigit() else None
            if group is None:
                messages.error(request, _("Choose a group of this election."))
                return redirect("protocols:archive_list", slug=election.slug)
        if election.state not in sel.ARCHIVABLE_STATES:
            messages.error(request, _("An archive can be built once voting has closed."))
            return redirect("protocols:archive_list", slug=election.slug)
        if sel.is_purged(election):
            messages.error(
                request,
                _(
                    "The personal data of this election has been purged; the existing archives are the record."
                ),
            )
            return redirect("protocols:archive_list", slug=election.slug)
        # an outbox task: recorded before the answer, built by a worker even if the broker is down now
        task_enqueue(build_archive.name, election.pk, group.pk if group else None, request.user.pk)
        messages.success(
            request,
            _("The archive is being built. It appears in the list when it is ready; reload the page."),
        )
        return redirect("protocols:archive_list", slug=election.slug)


class ArchiveDownloadView(CapabilityRequired, ElectionContextMixin, View):
    capability = "archive.manage"

    def get(self, request, *args, **kwargs):
        archive = sel.archive_for(self.election, kwargs["pk"])
        if archive is None or not archive.file:
            raise Http404
        try:
            handle = archive.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        stem = f"{self.election.slug}-{archive.group.slug}" if archive.group_id else self.election.slug
        filename = f"archive-{stem}-{archive.created_at:%Y%m%d-%H%M%S}.zip"
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")
        response["X-Content-Type-Options"] = "nosniff"
        return response


urlpatterns: list = [
    path("archive/", ArchiveListView.as_view(), name="archive_list"),
    path("archive/build/", ArchiveBuildView.as_view(), name="archive_build"),
    path("archive/<int:pk>/download/", ArchiveDownloadView.as_view(), name="archive_download"),
]
