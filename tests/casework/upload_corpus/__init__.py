"""The upload corpus: hostile and ordinary files, built in code at test time (no binary blobs in
the repository), each with the verdict the portal must give.

`CORPUS` maps a label to (file name, bytes builder, verdict); `test_upload_corpus.py` uploads
each through the document service and checks the verdict and what was stored.
"""

import io
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pikepdf
from PIL import Image

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
APPENDED_HTML = b"<img src=x onerror=alert(document.cookie)><form action=https://evil.example/>"


@dataclass(frozen=True)
class Sample:
    name: str
    build: Callable[[], bytes]
    verdict: Literal["accepted", "reencoded", "refused"]
    """accepted: stored as uploaded; reencoded: accepted, stored bytes are a new image;
    refused: ApplicationError, nothing stored."""


# --- Images ----------------------------------------------------------------------------------


def png(size: tuple[int, int] = (16, 8), *, noise: bool = False) -> bytes:
    image = (
        Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, (9, 99, 9))
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_exif_gps() -> bytes:
    """A 16×8 JPEG whose EXIF holds a GPS position, a camera model and orientation 6 (turn 90°)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x0110] = "Secret Camera"  # Model
    exif[0x8825] = {1: "N", 2: (30.0, 52.0, 12.0), 3: "E", 4: (120.0, 5.0, 30.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), (200, 30, 30)).save(buffer, format="JPEG", exif=exif, comment=b"shot at home")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width×height (1-bit grey) with a tiny compressed first row: a
    decompression bomb's header, a few hundred bytes on disk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + (width + 7) // 8), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def truncated_png() -> bytes:
    whole = png((64, 64), noise=True)
    return whole[: len(whole) // 2]


# --- PDFs ------------------------------------------------------------------------------------


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def plain_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _save(pdf)


def pdf_with_open_destination() -> bytes:
    """Word and scanners open on a page: /OpenAction [page /Fit] is a destination, not an action."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    return _save(pdf)


def pdf_with_javascript_in_object_stream() -> bytes:
    """/OpenAction JavaScript in an indirect object packed into a compressed object stream: the
    words never appear in the file's bytes."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    return _save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand with a correct cross-reference table (object 1 is the catalogue)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _page_objects(catalog_extra: bytes = b"", page_extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
    ]


def hand_written_plain_pdf() -> bytes:
    return raw_pdf(*_page_objects())


def pdf_with_escaped_names() -> bytes:
    """/Open#41ction and /J#61vaScript: the same names as /OpenAction and /JavaScript to a reader."""
    return raw_pdf(*_page_objects(b"/Open#41ction 4 0 R"), b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>")


def pdf_with_launch_action() -> bytes:
    return raw_pdf(*_page_objects(page_extra=b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"))


def pdf_with_uri_link() -> bytes:
    annot = b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /URI /URI (http://evil.example/) >> >>"
    return raw_pdf(*_page_objects(page_extra=b"/Annots [4 0 R]"), annot)


def pdf_with_internal_link() -> bytes:
    annot = b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /GoTo /D [3 0 R /Fit] >> >>"
    return raw_pdf(*_page_objects(page_extra=b"/Annots [4 0 R]"), annot)


def pdf_with_embedded_file() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ" + b"\x00" * 64)
    return _save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def pdf_with_xfa() -> bytes:
    return raw_pdf(*_page_objects(b"/AcroForm << /Fields [] /XFA 4 0 R >>"), b"<< >>")


def encrypted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _save(pdf, encryption=pikepdf.Encryption(owner="owner", user="user"))


def encrypted_pdf_without_user_password() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _save(pdf, encryption=pikepdf.Encryption(owner="owner", user=""))


def pdf_with_eicar() -> bytes:
    """The EICAR antivirus test string in an uncompressed stream of an otherwise plain PDF."""
    stream = b"<< /Length %d >>\nstream\n" % len(EICAR) + EICAR + b"\nendstream"
    return raw_pdf(*_page_objects(page_extra=b"/Contents 4 0 R"), stream)


def pdf_html_polyglot() -> bytes:
    """A PDF that a browser would also render as a page (HTML after the trailer)."""
    return plain_pdf() + b"<html><body><script>alert(document.domain)</script></body></html>\n%%EOF\n"


def pdf_without_pages() -> bytes:
    return raw_pdf(b"<< /Type /Catalog >>")


def pdf_with_broken_xref() -> bytes:
    whole = hand_written_plain_pdf()
    return whole.replace(b"0000000009 00000 n", b"0000000400 00000 n")


CORPUS: dict[str, Sample] = {
    "png with appended html": Sample("scan.png", lambda: png() + APPENDED_HTML, "reencoded"),
    "jpeg with exif gps": Sample("photo.jpg", jpeg_with_exif_gps, "reencoded"),
    "png with eicar appended": Sample("scan.png", lambda: png() + EICAR, "reencoded"),
    "png bomb 30000x30000": Sample("bomb.png", lambda: png_header_only(30_000, 30_000), "refused"),
    "png over the pixel cap": Sample("big.png", lambda: png_header_only(8_000, 6_000), "refused"),
    "truncated png": Sample("cut.png", truncated_png, "refused"),
    "plain pdf": Sample("form.pdf", plain_pdf, "accepted"),
    "hand-written plain pdf": Sample("form.pdf", hand_written_plain_pdf, "accepted"),
    "pdf opening on a page": Sample("form.pdf", pdf_with_open_destination, "accepted"),
    "pdf with an internal link": Sample("form.pdf", pdf_with_internal_link, "accepted"),
    "pdf with eicar string": Sample("eicar.pdf", pdf_with_eicar, "accepted"),
    "pdf with javascript in object stream": Sample("evil.pdf", pdf_with_javascript_in_object_stream, "refused"),
    "pdf with escaped names": Sample("evil.pdf", pdf_with_escaped_names, "refused"),
    "pdf with launch action": Sample("evil.pdf", pdf_with_launch_action, "refused"),
    "pdf with uri link": Sample("link.pdf", pdf_with_uri_link, "refused"),
    "pdf with embedded file": Sample("evil.pdf", pdf_with_embedded_file, "refused"),
    "pdf with xfa form": Sample("form.pdf", pdf_with_xfa, "refused"),
    "encrypted pdf": Sample("locked.pdf", encrypted_pdf, "refused"),
    "encrypted pdf, empty user password": Sample("locked.pdf", encrypted_pdf_without_user_password, "refused"),
    "pdf/html polyglot": Sample("evil.pdf", pdf_html_polyglot, "refused"),
    "pdf without pages": Sample("empty.pdf", pdf_without_pages, "refused"),
    "pdf with broken xref": Sample("broken.pdf", pdf_with_broken_xref, "refused"),
}
