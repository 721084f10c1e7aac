"""A photo taken once is not asked for again (一窗通拍, D2): a case whose checklist asks for the
photo takes the applicant's photo on file instead of an upload."""

import datetime as dt
import re

import time_machine
from django.test import Client
from django.utils import timezone

from hukou_portal.casework import issued_documents, services, workflow
from hukou_portal.casework.issued_documents import Kind
from hukou_portal.casework.on_file import documents_on_file
from hukou_portal.people.services import person_photo_take
from tests.casework.factories import fresh, open_case, png_bytes, upload_file
from tests.helpers import sign_in, zh
from tests.people import photo_files

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def take_photo(officer, person, replacing=None):  # type: ignore[no-untyped-def]
    return person_photo_take(
        actor=officer,
        person_id=person.pk,
        upload=photo_files.upload(photo_files.jpeg((640, 480))),
        source="webcam",
        replacing=replacing,
    )


def upload_id_card(case, officer):  # type: ignore[no-untyped-def]
    from hukou_portal.casework import documents

    return documents.document_upload(
        case_id=case.pk,
        actor=officer,
        expected_version=None,
        requirement="id_card",
        upload=upload_file("id.png", png_bytes()),
    )


def in_review_with_the_id_card_accepted(staff):  # type: ignore[no-untyped-def]
    from hukou_portal.casework import documents

    case = open_case(staff.officer, category="basic")
    card = upload_id_card(case, staff.officer)
    services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    documents.document_set_verdict(document_id=card.pk, actor=staff.officer, expected_version=None, accepted=True)
    return fresh(case)


def test_without_a_photo_on_file_the_photo_is_asked_for(staff):
    case = in_review_with_the_id_card_accepted(staff)
    assert documents_on_file(case) == {}
    assert workflow.missing_documents(case) == ["photo"]
    page = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/people/{case.applicant.pk}/photo/?next=/cases/{case.pk}/"' in page  # take it here
    assert '<option value="photo">' in page  # or upload it
    assert zh("Forward for approval") not in re.search(r'data-testid="case-actions">(.*?)</div>', page, re.S).group(1)


def test_with_a_photo_on_file_the_case_goes_on_without_an_upload(staff):
    case = in_review_with_the_id_card_accepted(staff)
    photo = take_photo(staff.officer, case.applicant)

    assert set(documents_on_file(case)) == {"photo"} and documents_on_file(case)["photo"].photo == photo
    assert workflow.missing_documents(case) == []
    page = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    row = re.search(r'data-testid="on-file-photo">(.*?)</td>', page, re.S).group(1)
    day = timezone.localtime(photo.taken_at).date().isoformat()
    assert zh("Photo on file (%(day)s)") % {"day": day} in row
    assert '<option value="photo">' not in page  # nobody asks for it again
    assert zh("Forward for approval") in re.search(r'data-testid="case-actions">(.*?)</div>', page, re.S).group(1)

    services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    decision = sign_in(Client(), staff.supervisor).get(f"/cases/{case.pk}/actions/approve/").content.decode()
    assert zh("Photo on file (%(day)s)") % {"day": day} in decision
    services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    assert fresh(case).status == "approved"


def test_a_photo_taken_for_another_person_does_not_count(staff):
    from hukou_portal.people.services import person_create
    from tests.helpers import valid_id_number

    case = in_review_with_the_id_card_accepted(staff)
    someone_else = person_create(actor=staff.officer, id_number=valid_id_number(sequence=901), name="别人")
    take_photo(staff.officer, someone_else)
    assert workflow.missing_documents(case) == ["photo"]


def test_a_kind_that_asks_for_no_photo_reads_nothing(staff, django_assert_num_queries):
    case = open_case(staff.officer, category="light")
    take_photo(staff.officer, case.applicant)
    with django_assert_num_queries(0):
        assert documents_on_file(case) == {}


def test_the_receipt_counts_the_photo_on_file_as_received(staff):
    case = open_case(staff.officer, category="basic")
    take_photo(staff.officer, case.applicant)
    upload_id_card(case, staff.officer)
    services.case_submit(case_id=case.pk, actor=staff.officer, expected_version=None)
    client = sign_in(Client(), staff.officer)
    client.post(f"/cases/{case.pk}/print/receipt/")
    page = client.get(f"/cases/{case.pk}/print/receipt/").content.decode()
    received = re.findall(r"<td>(身份证|照片)</td><td>([^<]+)</td>", page)
    assert received == [("身份证", zh("received")), ("照片", zh("received"))]


def test_a_one_time_notice_lists_the_photo_that_was_missing_when_it_was_asked_for(staff):
    """The notice is what was missing at the request: a photo taken afterwards does not change
    it, though the case no longer waits for the photo."""
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), tick=False):
        case = in_review_with_the_id_card_accepted(staff)
        services.case_request_supplement(
            case_id=case.pk, actor=staff.officer, expected_version=None, comment="请采集照片"
        )
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        take_photo(staff.officer, case.applicant)
    content = issued_documents.document_content(fresh(case), Kind.SUPPLEMENT, 1)
    assert [(item["code"], item["status"]) for item in content["items"]] == [("photo", "missing")]
    assert workflow.missing_documents(fresh(case)) == []


def test_a_photo_on_file_before_the_request_is_not_on_its_notice(staff):
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), tick=False):
        case = in_review_with_the_id_card_accepted(staff)
        take_photo(staff.officer, case.applicant)
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        from hukou_portal.casework import documents

        card = fresh(case).documents.get()
        documents.document_set_verdict(
            document_id=card.pk, actor=staff.officer, expected_version=None, accepted=False, reason="模糊"
        )
        services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="补证")
    content = issued_documents.document_content(fresh(case), Kind.SUPPLEMENT, 1)
    assert [(item["code"], item["status"]) for item in content["items"]] == [("id_card", "rejected")]
