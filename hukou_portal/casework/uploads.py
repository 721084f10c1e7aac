"""Deciding what an uploaded file really is, and storing only what we understood.

Only PDF, JPEG and PNG are taken. The name and the browser's Content-Type are ignored.

- **Images** are decoded and re-encoded by Pillow: the stored bytes are the new image, so bytes
  appended after the image (an HTML or script polyglot), EXIF (GPS position, camera) and every
  other metadata chunk are gone. EXIF orientation is applied to the pixels first. An image over
  `CASE_DOCUMENT_MAX_PIXELS` is refused before it is decoded (decompression bombs).
- **PDFs** are parsed by pikepdf (qpdf), which decodes object streams and `#xx` name escapes,
  and every object is walked: JavaScript, actions other than a jump inside the document
  (launch, URI, submit-form, ...), additional actions (/AA), embedded or attached files,
  RichMedia and XFA forms are refused. Encrypted, damaged or page-less PDFs are refused. The PDF
  is stored as uploaded (re-writing would break digital signatures), and a PDF carrying HTML or
  script markup anywhere in its bytes is refused as a polyglot.

Whatever the bytes, the answer is a stored file or an ApplicationError: no input ends in a 500.
"""

import hashlib
import io
import logging
import re
import warnings
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from hukou_portal.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# Markup that makes a browser treat bytes as a page or a script, anywhere in a PDF.
# Patterns are five bytes or longer, so compressed data does not hit them by chance.
_MARKUP = re.compile(
    rb"<\s*(script|html|body|iframe|object|embed|form|img|head[\s>]|svg[\s/>]|meta[\s/>])|<!doctype|javascript:|<\?php",
    re.IGNORECASE,
)

# Dictionary keys that exist only to run or carry something.
_PDF_FORBIDDEN_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
# Names that, as a value (/S, /Type, /Subtype), mark an action, an attachment or rich media.
_PDF_FORBIDDEN_NAMES = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/GoTo3DView",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/EmbeddedFile",
        "/FileAttachment",
        "/RichMedia",
    }
)
# Keys whose dictionary value is an action; the only action allowed is a jump inside the file.
_PDF_ACTION_KEYS = frozenset({"/A", "/OpenAction", "/Next"})
_PDF_ALLOWED_ACTIONS = frozenset({"/GoTo"})
_PDF_MAX_NODES = 2_000_000

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"


class UploadTooLarge(ApplicationError):
    """The upload is over CASE_DOCUMENT_MAX_BYTES: the page answers 413."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def check_upload(upload: UploadedFile, *, max_bytes: int) -> CheckedFile:
    """Read and check an upload and return the bytes to store; raise ApplicationError with the
    reason, in the user's language."""
    too_large = _("The file is larger than %(limit)d MB.") % {"limit": max_bytes // (1024 * 1024)}
    if upload.size is None or upload.size > max_bytes:
        raise UploadTooLarge(too_large, field="file")
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise UploadTooLarge(too_large, field="file")
    return check_content(content)


def check_content(content: bytes) -> CheckedFile:
    if not content:
        raise ApplicationError(_("The file is empty."), field="file")
    if content.startswith(PDF_MAGIC):
        _check_pdf(content)
        stored, content_type, extension = content, "application/pdf", "pdf"
    elif content.startswith(JPEG_MAGIC):
        stored, content_type, extension = _reencode_image(content, "JPEG"), "image/jpeg", "jpg"
    elif content.startswith(PNG_MAGIC):
        stored, content_type, extension = _reencode_image(content, "PNG"), "image/png", "png"
    else:
        raise ApplicationError(_("Only PDF, JPEG and PNG files are accepted."), field="file")
    return CheckedFile(
        content=stored, content_type=content_type, extension=extension, sha256=hashlib.sha256(stored).hexdigest()
    )


# --- Images ----------------------------------------------------------------------------------


def _reencode_image(content: bytes, expected_format: str) -> bytes:
    not_the_image = ApplicationError(_("The file is not the image it claims to be."), field="file")
    max_pixels: int = settings.CASE_DOCUMENT_MAX_PIXELS
    too_many_pixels = ApplicationError(
        _("The image is too large: at most %(limit)d million pixels.") % {"limit": max_pixels // 1_000_000},
        field="file",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[expected_format]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise too_many_pixels
                image.load()
                upright = ImageOps.exif_transpose(image)
                clean = upright.copy()
        # Only the pixels and what is needed to draw them: no EXIF, ICC, text or comment chunks.
        clean.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
        buffer = io.BytesIO()
        if expected_format == "JPEG":
            clean.save(buffer, format="JPEG", quality=92)
        else:
            clean.save(buffer, format="PNG")
        return buffer.getvalue()
    except ApplicationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise too_many_pixels from error
    except MemoryError as error:
        raise too_many_pixels from error
    except Exception as error:  # any decoder failure is a refusal, never a 500
        logger.info("image upload refused: %s", type(error).__name__)
        raise not_the_image from error


# --- PDFs ------------------------------------------------------------------------------------


def _check_pdf(content: bytes) -> None:
    if _MARKUP.search(content):
        raise ApplicationError(_("The file contains web page or script content and was refused."), field="file")
    if b"%%EOF" not in content[-1024:]:
        raise ApplicationError(_("The file claims to be a PDF but is not a complete PDF."), field="file")
    try:
        with pikepdf.open(io.BytesIO(content), attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise ApplicationError(_("Encrypted or password-protected PDF files are not accepted."), field="file")
            if len(pdf.pages) == 0:
                raise ApplicationError(_("The file claims to be a PDF but is not a complete PDF."), field="file")
            if _pdf_has_active_content(pdf):
                raise ApplicationError(
                    _("PDF files with scripts, actions or embedded files are not accepted."), field="file"
                )
    except ApplicationError:
        raise
    except pikepdf.PasswordError as error:
        raise ApplicationError(
            _("Encrypted or password-protected PDF files are not accepted."), field="file"
        ) from error
    except Exception as error:  # any parser failure is a refusal, never a 500
        logger.info("pdf upload refused: %s", type(error).__name__)
        raise ApplicationError(_("The file claims to be a PDF but is not a complete PDF."), field="file") from error


def _pdf_has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Walk every object of the file (those in object streams too) and the direct objects
    inside them, without recursion; indirect references are visited as objects of their own."""
    stack: list[pikepdf.Object] = [pdf.trailer, *pdf.objects]
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > _PDF_MAX_NODES:
            return True
        if isinstance(obj, pikepdf.Name):
            if str(obj) in _PDF_FORBIDDEN_NAMES:
                return True
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key in obj.keys():  # noqa: SIM118 — a pikepdf dictionary, not a dict
                if key in _PDF_FORBIDDEN_KEYS:
                    return True
                value = obj.get(key)
                if key in _PDF_ACTION_KEYS and _is_forbidden_action(value):
                    return True
                if isinstance(value, pikepdf.Object) and not value.is_indirect:
                    stack.append(value)
            if str(obj.get("/Type", "")) == "/Action" and str(obj.get("/S", "")) not in _PDF_ALLOWED_ACTIONS:
                return True
        elif isinstance(obj, pikepdf.Array):
            stack.extend(item for item in obj if isinstance(item, pikepdf.Object) and not item.is_indirect)
    return False


def _is_forbidden_action(value: object) -> bool:
    """An /A, /OpenAction or /Next value: a destination (an array or a name) is fine, and so is a
    dictionary without /S (/A of a structure element holds attributes); an action must be a jump
    inside the document."""
    if isinstance(value, pikepdf.Dictionary) and "/S" in value:
        return str(value.get("/S")) not in _PDF_ALLOWED_ACTIONS
    return False
