"""Writing down an export in the audit trail (policy D3: every export is accountable)."""

from typing import Any

from hukou_portal.audit.models import AuditEvent, Outcome
from hukou_portal.audit.services import record


def export_recorded(
    *,
    actor: Any,
    kind: str,
    file_format: str,
    filters: str,
    rows: int,
    full_id_numbers: bool,
    complete: bool = True,
    arguments: str = "",
) -> AuditEvent:
    """One event per export, written when the export has finished (a download: when its last
    row was sent; the command: when its file is written), so it carries the real row count.

    An export whose stream stopped early (the client went away, a database error) is recorded
    too, as *failed*, with the rows produced until then. ``filters`` are in words and hold no
    full ID number (the list filters refuse them; ``record`` masks any that slip through).
    ``kind`` is the export kind's name (``stats.kinds``), read in words through the vocabulary
    (``export_kind``). ``actor`` None with ``arguments``: the ``export`` command, run by the system.
    """
    new: dict[str, Any] = {
        "kind": kind,
        "format": file_format.upper(),
        "filters": filters,
        "rows": rows,
        "full_id_numbers": full_id_numbers,
        "complete": complete,
    }
    if arguments:
        new["arguments"] = arguments
    return record(
        action="export.written" if actor is None else "export.downloaded",
        actor=actor,
        new=new,
        outcome=Outcome.SUCCESS if complete else Outcome.FAILED,
    )
