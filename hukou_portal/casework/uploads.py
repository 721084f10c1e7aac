"""Deciding what an uploaded file really is, from its bytes.

Only PDF, JPEG and PNG are taken. The name and the browser's Content-Type are ignored. A file
is refused when its bytes are not what its magic number claims (an image Pillow cannot read,
a PDF without its trailer), when it carries markup a browser would run (an HTML or script
polyglot), or when a PDF carries active content (JavaScript, launch actions).
"""

import hashlib
import io
import re
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hukou_portal.core.exceptions import ApplicationError

# Markup that makes a browser treat bytes as a page or a script, anywhere in the file.
# Patterns are five bytes or longer, so compressed image data does not hit them by chance.
_MARKUP = re.compile(
    rb"<\s*(script|html|body|iframe|object|embed|head[\s>]|svg[\s/>]|meta[\s/>])|<!doctype|javascript:|<\?php",
    re.IGNORECASE,
)
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|OpenAction|AA)\b")


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def check_upload(upload: UploadedFile, *, max_bytes: int) -> CheckedFile:
    """Read and check an upload; raise ApplicationError with the reason, in the user's language."""
    if upload.size is None or upload.size > max_bytes:
        raise ApplicationError(
            _("The file is larger than %(limit)d MB.") % {"limit": max_bytes // (1024 * 1024)}, field="file"
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ApplicationError(
            _("The file is larger than %(limit)d MB.") % {"limit": max_bytes // (1024 * 1024)}, field="file"
        )
    if not content:
        raise ApplicationError(_("The file is empty."), field="file")
    if _MARKUP.search(content):
        raise ApplicationError(_("The file contains web page or script content and was refused."), field="file")
    if content.startswith(b"%PDF-"):
        content_type, extension = "application/pdf", "pdf"
        if b"%%EOF" not in content[-1024:]:
            raise ApplicationError(_("The file claims to be a PDF but is not a complete PDF."), field="file")
        if _PDF_ACTIVE.search(content):
            raise ApplicationError(_("PDF files with scripts or embedded actions are not accepted."), field="file")
    elif content.startswith(b"\xff\xd8\xff"):
        content_type, extension = "image/jpeg", "jpg"
        _check_image(content, "JPEG")
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type, extension = "image/png", "png"
        _check_image(content, "PNG")
    else:
        raise ApplicationError(_("Only PDF, JPEG and PNG files are accepted."), field="file")
    return CheckedFile(
        content=content, content_type=content_type, extension=extension, sha256=hashlib.sha256(content).hexdigest()
    )


def _check_image(content: bytes, expected_format: str) -> None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != expected_format:
                raise ApplicationError(_("The file is not the image it claims to be."), field="file")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ApplicationError(_("The file is not the image it claims to be."), field="file") from error
