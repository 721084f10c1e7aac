"""Two officers take the first photo of one person at the same moment: one photo is current,
the other officer is told the photo changed, and only the winner's file is kept."""

import os
import threading

import pytest
from django.conf import settings
from django.db import connection

from hukou_portal.accounts.roles import Role
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import PersonPhoto
from hukou_portal.people.services import person_create, person_photo_take
from tests.helpers import make_office_tree, make_user, valid_id_number, zh
from tests.people import photo_files

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_taking_the_first_photo_at_once(transactional_db):
    offices = make_office_tree()
    first = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="first")
    second = make_user(offices.wuxing, Role.COUNTER_OFFICER, username="second")
    person = person_create(actor=first, id_number=valid_id_number(sequence=631), name="并发")
    folder = os.path.join(settings.DOCUMENT_ROOT, "photos")
    before = set(os.listdir(folder)) if os.path.isdir(folder) else set()

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take(officer) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            person_photo_take(
                actor=officer,
                person_id=person.pk,
                upload=photo_files.upload(photo_files.jpeg((800, 1000))),
                source="webcam",
                replacing=None,
            )
            outcomes[officer.username] = "taken"
        except ApplicationError as error:
            outcomes[officer.username] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(officer,)) for officer in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["first", "second"]
    assert list(outcomes.values()).count("taken") == 1, outcomes
    (refusal,) = [outcome for outcome in outcomes.values() if outcome != "taken"]
    assert refusal == zh(
        "The person's photo changed while this page was open. Look at the current photo, then take it again."
    )
    photo = PersonPhoto.objects.get(person=person)
    assert photo.taken_by.username == next(name for name, outcome in outcomes.items() if outcome == "taken")
    assert set(os.listdir(folder)) - before == {photo.stored_name.split("/")[1]}
