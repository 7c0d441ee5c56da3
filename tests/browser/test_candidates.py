"""An organising-committee member nominates a candidate with the signed form; the group's
commission reviews and admits the candidate; the public list shows them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import services as cs
from candidates.models import Application

from .setup import PASSWORD, PDF_BYTES, ccm_election


def test_org_committee_member_submits_a_candidate_with_a_document(portal, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    data = ccm_election()
    page = portal.page
    scan = tmp_path / "signed-form.pdf"
    scan.write_bytes(PDF_BYTES)

    portal.login("orgcom@example.org", PASSWORD)
    portal.goto("/en/elections/journey/candidates/apply/")
    portal.axe(name="apply")
    page.get_by_label("Nomination").select_option("organisation")
    page.get_by_label("Group or district").select_option(label="People living with HIV")
    page.get_by_label("Full name").fill("Айжан Мусина")
    page.get_by_label("Candidate's e-mail").fill("a.musina@example.org")
    page.get_by_label("Nominated by").fill("Собрание сообщества, 10.08")
    page.get_by_label("Organisation").fill("ОФ «Шапагат»")
    page.locator("[name=region]").fill("Карагандинская область")
    page.get_by_label("Programme or statement").fill(
        "Продвигать равных консультантов в каждом центре СПИД и отчитываться перед группой."
    )
    page.get_by_label("Signed application form").set_input_files(str(scan))
    page.get_by_label("I agree to the processing").check()
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_load_state()

    application = Application.objects.get(email="a.musina@example.org")
    assert application.group == data["group"] and application.status == Application.Status.SUBMITTED
    assert application.submitted_by == data["users"]["orgcom"]
    assert application.document.read() == PDF_BYTES  # the uploaded file itself, kept privately
    portal.shot("application-submitted-en")


def test_commission_member_admits_a_candidate(portal, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    data = ccm_election()
    application = cs.application_submit(
        election=data["election"],
        actor=data["users"]["orgcom"],
        nomination="organisation",
        group=data["group"],
        full_name="Айжан Мусина",
        email="a.musina@example.org",
        organisation="ОФ «Шапагат»",
        region="Карагандинская область",
        programme="Продвигать равных консультантов в каждом центре СПИД.",
        nominated_by="Собрание сообщества",
        document=SimpleUploadedFile("form.pdf", PDF_BYTES, content_type="application/pdf"),
        consent=True,
    )
    page = portal.page
    portal.login("chair@example.org", PASSWORD)
    portal.goto(f"/en/elections/journey/candidates/applications/{application.pk}/")
    portal.axe(name="application")
    with page.expect_download() as download:
        page.locator("#document-link").click()
    assert download.value.path().read_bytes() == PDF_BYTES

    review = page.locator("#review-form")
    for criterion in data["criteria"]:
        review.locator(f"[name=met_{criterion.pk}][value=yes]").check()
    review.get_by_label("Your recommendation").select_option("admit")
    review.get_by_role("button", name="Record my review").click()
    page.wait_for_load_state()

    decision = page.locator("#decision-form")
    decision.locator("[name=decision][value=admit]").check()
    for member in data["members"]:
        decision.locator(f"[name=vote_{member.pk}]").select_option("for")
    decision.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()

    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.decision.number == 1 and application.decision.votes_for == 2
    portal.shots(page.url.replace(portal.base, ""), "application-admitted")
    portal.goto("/en/elections/journey/candidates/")
    assert page.get_by_text("Айжан Мусина").first.is_visible()
    portal.shots("/elections/journey/candidates/", "candidates")
