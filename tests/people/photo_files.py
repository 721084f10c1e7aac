"""Pictures for the ID-photo tests, made with Pillow at test time (no binary files in the repo)."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

RED, BLUE, GREEN = (220, 20, 20), (20, 20, 220), (20, 200, 20)


def jpeg(size: tuple[int, int] = (4000, 3000), colour: tuple[int, int, int] = (120, 160, 200), **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=80, **save)  # type: ignore[arg-type]
    return buffer.getvalue()


def png(size: tuple[int, int] = (800, 1000), mode: str = "RGB", colour: object = (120, 160, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format="PNG")  # type: ignore[arg-type]
    return buffer.getvalue()


def camera_jpeg_with_exif(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A phone photo: GPS position, camera model, date, a comment."""
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera"  # Model
    exif[0x0132] = "2026:11:30 09:00:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (30.0, 52.0, 12.0), 3: "E", 4: (120.0, 5.0, 30.0)}  # GPSInfo
    return jpeg(size, exif=exif, comment=b"shot at home")


def sideways_jpeg() -> bytes:
    """A portrait photo stored sideways, as phones do: 2000×1000 pixels on disk with EXIF
    orientation 6 (turn 90° clockwise to show). The stored left half is red, so upright (1000×2000)
    the top half is red and the bottom half blue; shown as stored, the left half would be red."""
    stored = Image.new("RGB", (2000, 1000), BLUE)
    stored.paste(RED, (0, 0, 1000, 1000))  # left half red: on top once turned clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A PNG header claiming width×height pixels in a few hundred bytes (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + (width + 7) // 8), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image
