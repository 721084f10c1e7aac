"""Numbers (case, permit, household, document) come from one upsert per number: callers in
parallel transactions never get the same one, and the numbers run on without a gap."""

import threading

from django.db import connection, transaction

from hukou_portal.casework.models import ReferenceSerial
from hukou_portal.casework.services import next_serial


def test_parallel_callers_get_distinct_numbers_in_order(transactional_db):
    taken: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def take() -> None:
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    taken.append(next_serial(series="case", area_code="330502", year=2026))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 31))
    assert ReferenceSerial.objects.get(series="case", area_code="330502", year=2026).last_serial == 30


def test_each_series_area_and_year_counts_on_its_own(db):
    assert [next_serial(series="case", area_code="330502", year=2026) for _ in range(2)] == [1, 2]
    assert next_serial(series="case", area_code="330502", year=2027) == 1
    assert next_serial(series="permit", area_code="330502", year=2026) == 1
    assert next_serial(series="case", area_code="330503", year=2026) == 1
    assert next_serial(series="case", area_code="330502", year=2026) == 3
