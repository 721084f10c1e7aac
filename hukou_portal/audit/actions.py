"""The registry of audit actions: every event names one of these, nothing else.

Adding an action means adding it here, with the label an auditor reads.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, str | Promise] = {
    # sign-in
    "auth.signed_in": _("Signed in"),
    "auth.sign_in_failed": _("Sign-in failed"),
    "auth.locked_out": _("Locked out after repeated failures"),
    "auth.signed_out": _("Signed out"),
    # denied accesses and refused actions of signed-in users (audit/middleware.py)
    "access.denied": _("Access denied"),
    "access.denials_suppressed": _("Further denied accesses, counted but not recorded one by one"),
    "action.refused": _("Action refused"),
    "auth.second_factor_enrolled": _("Second factor enrolled"),
    "auth.second_factor_verified": _("Second factor verified"),
    "auth.second_factor_failed": _("Second factor code refused"),
    # offices and users
    "office.created": _("Office created"),
    "office.updated": _("Office changed"),
    "user.created": _("User created"),
    "user.updated": _("User changed"),
    "user.second_factor_reset": _("User's second factor reset"),
    "user.password_reset": _("Temporary password set for a user"),
    "user.sessions_ended": _("User's sessions ended"),
    "user.password_changed": _("Password changed"),
    # people and areas
    "person.created": _("Person recorded"),
    "person.updated": _("Person changed"),
    "person.viewed": _("Person's full record viewed"),
    "person.found_by_id_number": _("Person found by citizen ID number"),
    "person.photo_taken": _("ID photo taken (一窗通拍)"),
    "person.lookup": _("Person looked up in the city register by citizen ID number"),
    "id_numbers.resealed": _("Citizen ID numbers re-encrypted under the current key"),
    "town.updated": _("Town or sub-district changed"),
    # households (户) and moves (迁移)
    "household.created": _("Household created (立户)"),
    "household.member_joined": _("Member joined a household"),
    "household.member_left": _("Member left a household"),
    "household.moved_out_of_huzhou": _("Moved out of Huzhou (迁出)"),
    "move_in_permit.issued": _("Move-in permit issued (准迁证)"),
    "move_in_permit.confirmed": _("Origin's move-out confirmation recorded (迁出)"),
    # the working-day calendar
    "calendar.day_added": _("Calendar day added"),
    "calendar.day_removed": _("Calendar day removed"),
    "calendar.year_published": _("Calendar year published"),
    "parameter.scheduled": _("Rule parameter change scheduled"),
    "parameter.withdrawn": _("Scheduled rule parameter change withdrawn"),
    # cases
    "case.created": _("Case opened"),
    "case.submit": _("Accepted at the counter"),
    "case.start_review": _("Review started"),
    "case.request_supplement": _("Documents requested (补正)"),
    "case.receive_supplement": _("Requested documents received"),
    "case.forward": _("Forwarded for approval"),
    "case.approve": _("Approved"),
    "case.reject": _("Rejected"),
    "case.send_back": _("Sent back to review"),
    "case.approve_at_counter": _("Approved at the counter"),
    "case.reject_at_counter": _("Rejected at the counter"),
    "case.complete": _("Completed"),
    "case.withdraw": _("Withdrawn"),
    "case.reassign": _("Reassigned"),
    "case.transfer": _("Transferred to another office"),
    "case.handover_ended": _("Handover ended: the receiving office acted on the case"),
    "case.note_added": _("Internal note added"),
    "case.deadline_set": _("Deadline set after the calendar was published"),
    "document.uploaded": _("Document uploaded"),
    "document.verdict": _("Document checked"),
    "document.downloaded": _("Document downloaded"),
    "document.issued": _("Printed document issued with its number (文号)"),
    "registration.created": _("Residence registration recorded"),
    "registration.ended": _("Residence registration ended"),
    "registration.recorded_elsewhere": _("Registration elsewhere recorded as evidence"),
    "lease_filing.recorded": _("Lease filing recorded"),
    "permit.issued": _("Residence permit issued"),
    "permit.endorsed": _("Residence permit endorsed (签注)"),
    "permit.replaced": _("Residence permit replaced after loss"),
    "permit.cancelled": _("Residence permit cancelled"),
    "permit.converted": _("Residence permit ended by a conversion to another area (互认转换)"),
    "schedule.changed": _("Periodic job schedule changed"),
    "reminder_text.changed": _("Reminder text changed"),
    "hukou.registered": _("Hukou entry written (落户)"),
    "hukou.already_registered": _("Family member already holds a hukou in Huzhou: no second entry written"),
    "audit.person_filtered": _("Audit trail filtered by a person's ID number"),
    # Written by the trail's own CSV export until the list exports (export.downloaded) took it
    # over; kept so that earlier events still read.
    "audit.exported": _("Audit trail exported (CSV)"),
    # exports of the lists (stats/exports.py): the kind, the filters and the row count
    "export.downloaded": _("List exported (downloaded)"),
    "export.written": _("List exported to a file by the export command"),
    "settlement.document_added": _("Settlement document added to a checklist"),
    "settlement.document_changed": _("Settlement checklist document changed"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
