"""ID photos taken once (一窗通拍, D2): what the picture becomes, what is refused, where it is kept,
who may take and see it, and the history a replacement keeps."""

import io
import os

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people import photos
from hukou_portal.people.models import PersonPhoto
from hukou_portal.people.selectors import person_photo_current, person_photo_history
from hukou_portal.people.services import person_create, person_photo_take
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.people import photo_files as files

# --- The picture ---------------------------------------------------------------------------------


def test_a_4000_by_3000_camera_photo_becomes_a_358_by_441_jpeg_without_metadata():
    original = files.camera_jpeg_with_exif((4000, 3000))
    assert b"Secret Camera" in original and b"shot at home" in original  # the test's premise

    processed = photos.process_content(original)

    image = files.opened(processed.content)
    assert image.format == "JPEG" and image.size == (358, 441) and image.mode == "RGB"
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert "comment" not in image.info
    for trace in (b"Exif", b"Secret Camera", b"shot at home", b"2026:11:30"):
        assert trace not in processed.content


def test_a_photo_stored_sideways_comes_out_upright():
    image = files.opened(photos.process_content(files.sideways_jpeg()).content)
    assert image.size == (358, 441)
    # Upright the top half is red and the bottom blue; as stored, the left half would be red.
    top_right, bottom_left = image.getpixel((340, 20)), image.getpixel((20, 420))
    assert top_right[0] > 180 and top_right[2] < 80, top_right
    assert bottom_left[2] > 180 and bottom_left[0] < 80, bottom_left


def test_the_centre_is_kept_when_cropping_to_the_id_ratio():
    """A wide picture: black bands left and right of a green middle; only the middle is kept."""
    from PIL import Image

    wide = Image.new("RGB", (1200, 441), (0, 0, 0))
    wide.paste(files.GREEN, (421, 0, 779, 441))  # exactly the centred 358 columns
    buffer = io.BytesIO()
    wide.save(buffer, format="PNG")
    image = files.opened(photos.process_content(buffer.getvalue()).content)
    for x in (2, 179, 355):
        red, green, blue = image.getpixel((x, 220))
        assert green > 150 and red < 80 and blue < 80, (x, image.getpixel((x, 220)))


def test_a_transparent_png_is_laid_on_white():
    image = files.opened(photos.process_content(files.png((800, 1000), "RGBA", (0, 0, 0, 0))).content)
    assert image.size == (358, 441)
    assert min(image.getpixel((179, 220))) > 245


@pytest.mark.parametrize(
    ("mode", "file_format", "colour"),
    [("CMYK", "JPEG", (0, 0, 0, 0)), ("L", "JPEG", 128), ("L", "PNG", 128), ("P", "PNG", 3), ("I;16", "PNG", 300)],
)
def test_scanner_and_odd_colour_modes_become_an_rgb_jpeg(mode, file_format, colour):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (800, 1000), colour).save(buffer, format=file_format)
    image = files.opened(photos.process_content(buffer.getvalue()).content)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (358, 441))


@pytest.mark.parametrize(
    "exif",
    [b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x05\x00\x12\x01\x03\x00", b"Exif\x00\x00garbage"],
    ids=["truncated IFD", "not TIFF"],
)
def test_a_photo_with_broken_exif_is_still_taken_without_it(exif):
    """Cameras write broken EXIF now and then: the picture is what counts, and none of it is kept."""
    image = files.opened(photos.process_content(files.jpeg((800, 1000), exif=exif)).content)
    assert image.size == (358, 441) and not image.getexif()


def test_bytes_appended_after_the_picture_are_not_kept():
    polyglot = files.jpeg((800, 1000)) + b"<script>alert(document.cookie)</script>"
    processed = photos.process_content(polyglot)
    assert b"<script>" not in processed.content
    assert files.opened(processed.content).size == (358, 441)


def truncated_jpeg() -> bytes:
    """The first half of a noisy 1200×1600 JPEG (noise, so the cut falls inside the pixels)."""
    from PIL import Image

    noisy = Image.frombytes("RGB", (1200, 1600), os.urandom(1200 * 1600 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG")
    whole = buffer.getvalue()
    return whole[: len(whole) // 2]


REFUSED = {
    "a PDF": (files.pdf(), "This file is not a photo: only JPEG and PNG pictures are accepted."),
    "a script renamed .jpg": (
        b"#!/bin/sh\nrm -rf /\n<script>alert(1)</script>",
        "This file is not a photo: only JPEG and PNG pictures are accepted.",
    ),
    "an HTML page": (b"<!doctype html><html><body>hi</body></html>", None),
    "a GIF": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", None),
    "an empty file": (b"", "The photo file is empty."),
    "a truncated JPEG": (
        truncated_jpeg(),
        "The photo file is damaged or incomplete: take the photo again or choose another file.",
    ),
    "a JPEG header and then garbage": (b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, None),
    "a truncated PNG": (files.png((600, 800))[:200], None),
    "a decompression bomb (60000 × 60000 PNG)": (files.png_bomb(), None),
    "absurd dimensions (30000 × 20 PNG)": (files.png_bomb(30_000, 20), None),
    "a picture too small (300 × 300)": (files.jpeg((300, 300)), None),
    "a strip too thin for the ratio (4000 × 400)": (files.jpeg((4000, 400)), None),
}


@pytest.mark.parametrize("label", list(REFUSED))
def test_what_is_not_a_usable_photo_is_refused_with_a_reason(label):
    content, message = REFUSED[label]
    with pytest.raises(ApplicationError) as refused:
        photos.process_content(content)
    assert refused.value.field == "photo"
    if message is not None:
        assert refused.value.message == zh(message)


def test_the_refusals_say_what_is_wrong_in_chinese(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ApplicationError) as bomb:
            photos.process_content(files.png_bomb())
        assert "像素" in bomb.value.message and "40" in bomb.value.message
        with pytest.raises(ApplicationError) as small:
            photos.process_content(files.jpeg((300, 300)))
        assert "358" in small.value.message and "441" in small.value.message and "300" in small.value.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PERSON_PHOTO_MAX_BYTES = 1024 * 1024
    big = files.upload(b"\xff\xd8\xff" + os.urandom(1024 * 1024 + 10))
    with pytest.raises(photos.PhotoTooLarge) as refused:
        photos.process_upload(big)
    assert refused.value.message == zh("The photo file is larger than %(limit)d MB.") % {"limit": 1}


# --- Taking it: the service ------------------------------------------------------------------------


def stored_photos() -> set[str]:
    folder = os.path.join(settings.DOCUMENT_ROOT, "photos")
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


@pytest.fixture
def person(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(sequence=611), name="林照")


def take(actor, person, content=None, *, source="webcam", replacing=None):  # type: ignore[no-untyped-def]
    return person_photo_take(
        actor=actor,
        person_id=person.pk,
        upload=files.upload(content if content is not None else files.jpeg((640, 480))),
        source=source,
        replacing=replacing,
    )


def test_a_photo_is_stored_privately_recorded_and_audited_without_image_data(staff, person):
    photo = take(staff.officer, person, files.camera_jpeg_with_exif())

    assert person_photo_current(person=person) == photo
    assert (photo.source, photo.taken_by, photo.office) == ("webcam", staff.officer, staff.officer.office)
    assert photo.stored_name.startswith("photos/") and photo.stored_name.endswith(".jpg")
    path = os.path.join(settings.DOCUMENT_ROOT, photo.stored_name)
    with open(path, "rb") as stored:
        content = stored.read()
    assert files.opened(content).size == (358, 441) and b"Secret Camera" not in content
    assert photo.size == len(content) and len(photo.sha256) == 64
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    event = AuditEvent.objects.get(action="person.photo_taken")
    assert event.actor == staff.officer and event.object_id == str(person.pk)
    assert event.new_values == {"source": "webcam", "replaced_photo_of": None}
    assert photo.sha256 not in str(event.new_values) + event.note and photo.stored_name not in str(event.new_values)


def test_a_new_photo_replaces_the_old_one_and_the_history_is_kept(staff, person, offices):
    first = take(staff.officer, person, files.jpeg((800, 1000), files.RED))
    other_officer = make_user(offices.wuxing, Role.COUNTER_OFFICER, username="county_officer")
    second = take(other_officer, person, files.jpeg((800, 1000), files.BLUE), source="upload", replacing=first.pk)

    first.refresh_from_db()
    assert person_photo_current(person=person) == second
    assert second.replaces == first and second.office == offices.wuxing
    assert first.replaced_by == other_officer and first.replaced_at == second.taken_at
    assert [p.pk for p in person_photo_history(person=person)] == [second.pk, first.pk]
    assert PersonPhoto.objects.filter(person=person).count() == 2
    # Both pictures are still there, each its own file.
    assert {first.stored_name.split("/")[1], second.stored_name.split("/")[1]} <= stored_photos()
    events = AuditEvent.objects.filter(action="person.photo_taken").order_by("id")
    assert [e.new_values["replaced_photo_of"] for e in events] == [
        None,
        timezone.localtime(first.taken_at).date().isoformat(),
    ]


def test_a_photo_is_never_deleted(staff, person):
    photo = take(staff.officer, person)
    with pytest.raises(ValidationError):
        photo.delete()
    assert PersonPhoto.objects.filter(pk=photo.pk).exists()


def test_a_stale_page_writes_nothing(staff, person):
    """The officer opened the capture page before a colleague took a photo: the page said "no
    photo" (replacing=None), the person has one now."""
    first = take(staff.officer, person)
    files_before, events_before = stored_photos(), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        take(staff.officer, person, replacing=None)
    assert refused.value.message == zh(
        "The person's photo changed while this page was open. Look at the current photo, then take it again."
    )
    with pytest.raises(ApplicationError):
        take(staff.officer, person, replacing=first.pk + 1000)  # forged: not the current photo
    assert stored_photos() == files_before and AuditEvent.objects.count() == events_before
    assert list(PersonPhoto.objects.filter(person=person)) == [first]


@pytest.mark.parametrize("label", ["a PDF", "a truncated JPEG", "a decompression bomb (60000 × 60000 PNG)"])
def test_a_refused_file_leaves_no_file_no_row_and_no_event(staff, person, label):
    before = stored_photos()
    with pytest.raises(ApplicationError):
        take(staff.officer, person, REFUSED[label][0])
    assert stored_photos() == before
    assert not PersonPhoto.objects.exists()
    assert not AuditEvent.objects.filter(action="person.photo_taken").exists()


def test_a_forged_source_is_refused(staff, person):
    before = stored_photos()
    with pytest.raises(ApplicationError):
        take(staff.officer, person, source="scanner")
    assert not PersonPhoto.objects.exists() and stored_photos() == before


def test_only_a_counter_officer_of_the_persons_offices_takes_a_photo(staff, person, offices):
    before = stored_photos()
    other_office = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    for actor in (staff.supervisor, staff.admin, staff.auditor, other_office):
        with pytest.raises(PermissionDenied):
            take(actor, person)
    assert not PersonPhoto.objects.exists() and stored_photos() == before


def test_a_failure_after_the_file_is_written_removes_it(staff, person, monkeypatch):
    before = stored_photos()
    from hukou_portal.people import services

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        take(staff.officer, person)
    assert stored_photos() == before and not PersonPhoto.objects.exists()


# --- The pages -------------------------------------------------------------------------------------


def post_photo(client, person, content, *, source="upload", replacing="", name="photo.jpg", **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/people/{person.pk}/photo/",
        {"photo": files.upload(content, name), "source": source, "replacing": replacing, **extra},
    )


def test_the_capture_page_runs_its_own_script_and_may_use_the_camera(officer_client, person):
    response = officer_client.get(f"/people/{person.pk}/photo/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<script src="/static/portal/photo.js" defer></script>' in page
    assert "<script>" not in page and "onclick" not in page  # the CSP allows no inline script
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=(self)" in response["Permissions-Policy"]
    for testid in ("shoot", "camera-panel", "save-photo"):
        assert f'data-testid="{testid}"' in page
    assert zh("Take photo") == "拍照" and zh("Take photo") in page
    assert 'name="source"' in page and 'type="file"' in page and 'name="photo"' in page


def test_taking_a_photo_through_the_page_shows_it_on_the_persons_page(officer_client, person):
    page = officer_client.get(f"/people/{person.pk}/").content.decode()
    assert zh("No photo yet") in page and 'data-testid="take-photo"' in page

    response = post_photo(officer_client, person, files.camera_jpeg_with_exif())
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    photo = PersonPhoto.objects.get(person=person)
    assert photo.source == "upload"
    page = officer_client.get(f"/people/{person.pk}/").content.decode()
    assert f'src="/people/{person.pk}/photos/{photo.pk}.jpg"' in page
    assert zh("No photo yet") not in page
    assert page.count('data-testid="photo-history-row"') == 1

    served = officer_client.get(f"/people/{person.pk}/photos/{photo.pk}.jpg")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {part.strip() for part in served["Cache-Control"].split(",")}
    content = b"".join(served.streaming_content)
    assert files.opened(content).size == (358, 441) and b"Secret Camera" not in content


def test_the_photo_is_not_reachable_under_any_public_address(officer_client, staff, person):
    photo = take(staff.officer, person)
    name = photo.stored_name
    root = os.path.realpath(settings.DOCUMENT_ROOT)
    for public in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS, getattr(settings, "MEDIA_ROOT", "")]:
        if public:
            assert not root.startswith(os.path.realpath(str(public)) + os.sep) and root != os.path.realpath(str(public))
    media = settings.MEDIA_URL or "/media/"
    for address in (f"/static/{name}", f"{media}{name}", f"/{name}", f"/documents/{name}", f"/media/{name}"):
        response = officer_client.get(address)
        assert response.status_code == 404, address
        assert b"\xff\xd8\xff" not in (b"".join(response.streaming_content) if response.streaming else response.content)
    anonymous = Client().get(f"/people/{person.pk}/photos/{photo.pk}.jpg")
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]


def test_another_offices_officer_can_neither_see_nor_take_the_photo(staff, person, offices):
    photo = take(staff.officer, person)
    nanxun_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    outsider = sign_in(Client(), nanxun_officer)
    assert outsider.get(f"/people/{person.pk}/photos/{photo.pk}.jpg").status_code == 404
    assert outsider.get(f"/people/{person.pk}/photo/").status_code == 404
    response = post_photo(outsider, person, files.jpeg((800, 1000)), replacing=photo.pk)
    assert response.status_code == 404
    assert list(PersonPhoto.objects.all()) == [photo]
    # Nor through a person of their own: a photo is served only under its own person.
    own = person_create(actor=nanxun_officer, id_number=valid_id_number(sequence=612), name="南浔人")
    assert outsider.get(f"/people/{own.pk}/photos/{photo.pk}.jpg").status_code == 404


def test_roles_without_the_permission_are_refused(staff, person):
    photo = take(staff.officer, person)
    supervisor = sign_in(Client(), staff.supervisor)
    assert supervisor.get(f"/people/{person.pk}/photo/").status_code == 403
    assert post_photo(supervisor, person, files.jpeg((800, 1000)), replacing=photo.pk).status_code == 403
    # A supervisor of the office sees the person, so the photo, but is offered no camera.
    assert supervisor.get(f"/people/{person.pk}/photos/{photo.pk}.jpg").status_code == 200
    assert 'data-testid="take-photo"' not in supervisor.get(f"/people/{person.pk}/").content.decode()
    auditor = sign_in(Client(), staff.auditor)
    assert auditor.get(f"/people/{person.pk}/photos/{photo.pk}.jpg").status_code == 403
    assert auditor.get(f"/people/{person.pk}/photo/").status_code == 403
    assert list(PersonPhoto.objects.all()) == [photo]


def test_a_post_without_the_csrf_token_is_refused(staff, person):
    client = sign_in(Client(enforce_csrf_checks=True), staff.officer)
    assert post_photo(client, person, files.jpeg((800, 1000))).status_code == 403
    assert not PersonPhoto.objects.exists()


@pytest.mark.parametrize(
    ("label", "content", "fields", "status", "message"),
    [
        (
            "forged source",
            None,
            {"source": "scanner"},
            400,
            "Say whether the photo was taken with the camera or uploaded.",
        ),
        ("no file", b"", {}, 400, None),
        ("a PDF", files.pdf(), {}, 400, "This file is not a photo: only JPEG and PNG pictures are accepted."),
        ("too small", files.jpeg((200, 240)), {}, 400, None),
    ],
)
def test_a_bad_post_says_why_and_writes_nothing(officer_client, person, label, content, fields, status, message):
    before = stored_photos()
    if label == "no file":
        response = officer_client.post(f"/people/{person.pk}/photo/", {"source": "upload", "replacing": ""})
    else:
        response = post_photo(
            officer_client, person, content if content is not None else files.jpeg((800, 1000)), **fields
        )
    assert response.status_code == status
    page = response.content.decode()
    assert 'data-testid="photo-errors"' in page and zh("Nothing was saved.") in page
    if message:
        assert zh(message) in page
    assert not PersonPhoto.objects.exists() and stored_photos() == before


def test_a_stale_page_post_is_refused(officer_client, staff, person):
    take(staff.officer, person)
    response = post_photo(officer_client, person, files.jpeg((800, 1000)), replacing="")
    assert response.status_code == 400
    assert (
        zh("The person's photo changed while this page was open. Look at the current photo, then take it again.")
        in response.content.decode()
    )
    assert PersonPhoto.objects.count() == 1


def test_a_file_over_the_limit_answers_413(officer_client, person, settings):
    settings.PERSON_PHOTO_MAX_BYTES = 1024 * 1024
    response = post_photo(officer_client, person, b"\xff\xd8\xff" + os.urandom(1024 * 1024 + 10))
    assert response.status_code == 413
    assert zh("The photo file is larger than %(limit)d MB.") % {"limit": 1} in response.content.decode()
    assert not PersonPhoto.objects.exists()


def test_after_the_photo_the_officer_goes_back_where_they_came_from_on_this_portal_only(officer_client, person):
    response = post_photo(officer_client, person, files.jpeg((800, 1000)), next="/cases/")
    assert response["Location"] == "/cases/"
    current = PersonPhoto.objects.get().pk
    response = post_photo(
        officer_client, person, files.jpeg((800, 1000)), replacing=current, next="https://evil.example/x"
    )
    assert response["Location"] == f"/people/{person.pk}/"


def test_the_persons_page_runs_a_fixed_number_of_queries_whatever_the_photos(
    officer_client, staff, person, django_assert_max_num_queries
):
    previous = None
    for _ in range(4):
        previous = take(staff.officer, person, replacing=previous.pk if previous else None)
    with django_assert_max_num_queries(40) as counted:
        page = officer_client.get(f"/people/{person.pk}/").content.decode()
    assert page.count('data-testid="photo-history-row"') == 4
    few = len(counted.captured_queries)
    take(staff.officer, person, replacing=previous.pk)
    with django_assert_max_num_queries(few) as counted:
        officer_client.get(f"/people/{person.pk}/")
