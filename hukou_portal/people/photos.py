"""Turning an ID photo as it came — a frame from the counter's camera or an uploaded file — into
the one picture the portal keeps (一窗通拍, policy D2).

Only JPEG and PNG are taken, decided by the bytes; the name and the browser's Content-Type are
ignored. The picture is decoded by Pillow and a new one is drawn from its pixels, so nothing of
the file survives but the picture: bytes appended after it (a script or page polyglot), EXIF (GPS
position, camera, date), ICC profiles, comments. In order:

1. the file's size (``PERSON_PHOTO_MAX_BYTES``), before it is read whole;
2. its dimensions from the header, before any pixel is decoded: over ``PERSON_PHOTO_MAX_PIXELS``
   or a side over ``MAX_SIDE`` is refused (decompression bombs, absurd dimensions);
3. decoding: a truncated or damaged file is refused (Pillow loads no truncated image);
4. the EXIF orientation is applied to the pixels, then the largest centred region of the ID-photo
   ratio (358:441) is cut out; smaller than 358×441 it is refused (no blurred upscaling);
5. resized to exactly 358×441 and encoded as a baseline JPEG without any metadata.

Whatever the bytes, the answer is a ``ProcessedPhoto`` or an ``ApplicationError`` in the user's
language: no input ends in a 500, and nothing is stored before this has succeeded.
"""

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from hukou_portal.core.exceptions import ApplicationError

from .models import PersonPhoto

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = PersonPhoto.WIDTH, PersonPhoto.HEIGHT
MAX_SIDE = 20_000  # pixels; no camera or scanner makes a photo longer than this
JPEG_QUALITY = 90

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class PhotoTooLarge(ApplicationError):
    """The file is over PERSON_PHOTO_MAX_BYTES."""


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes  # a 358×441 JPEG, no metadata
    sha256: str


def process_upload(upload: UploadedFile) -> ProcessedPhoto:
    """Read ``upload`` (never more than the limit plus one byte) and process it."""
    max_bytes: int = settings.PERSON_PHOTO_MAX_BYTES
    too_large = PhotoTooLarge(
        _("The photo file is larger than %(limit)d MB.") % {"limit": max_bytes // (1024 * 1024)}, field="photo"
    )
    if upload.size is None or upload.size > max_bytes:
        raise too_large
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_large
    return process_content(content)


def process_content(content: bytes) -> ProcessedPhoto:
    if not content:
        raise ApplicationError(_("The photo file is empty."), field="photo")
    if content.startswith(JPEG_MAGIC):
        expected = "JPEG"
    elif content.startswith(PNG_MAGIC):
        expected = "PNG"
    else:
        raise ApplicationError(_("This file is not a photo: only JPEG and PNG pictures are accepted."), field="photo")
    picture = _decode(content, expected)
    cropped = _crop_to_id_ratio(picture)
    buffer = io.BytesIO()
    cropped.save(buffer, format="JPEG", quality=JPEG_QUALITY)  # no exif, icc_profile or comment given
    stored = buffer.getvalue()
    return ProcessedPhoto(content=stored, sha256=hashlib.sha256(stored).hexdigest())


def _decode(content: bytes, expected_format: str) -> Image.Image:
    """The picture, upright (EXIF orientation applied), in RGB."""
    max_pixels: int = settings.PERSON_PHOTO_MAX_PIXELS
    too_many_pixels = ApplicationError(
        _("The picture is too large: at most %(limit)d million pixels and %(side)d pixels on a side.")
        % {"limit": max_pixels // 1_000_000, "side": MAX_SIDE},
        field="photo",
    )
    damaged = ApplicationError(
        _("The photo file is damaged or incomplete: take the photo again or choose another file."), field="photo"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[expected_format]) as image:
                width, height = image.size
                if width * height > max_pixels or max(width, height) > MAX_SIDE:
                    raise too_many_pixels
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _as_rgb(upright)
    except ApplicationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError, MemoryError) as error:
        raise too_many_pixels from error
    except Exception as error:  # any decoder failure is a refusal, never a 500
        logger.info("photo refused: %s", type(error).__name__)
        raise damaged from error


def _as_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency (a PNG's alpha or palette transparency) on white, as on paper."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _crop_to_id_ratio(image: Image.Image) -> Image.Image:
    """The largest centred region of ratio 358:441, resized to exactly 358×441."""
    width, height = image.size
    crop_width, crop_height = width, height
    if width * HEIGHT > height * WIDTH:  # wider than the ratio: cut the sides
        crop_width = height * WIDTH // HEIGHT
    else:  # taller: cut top and bottom
        crop_height = width * HEIGHT // WIDTH
    if crop_width < WIDTH or crop_height < HEIGHT:
        raise ApplicationError(
            _(
                "The picture is too small: an ID photo needs at least %(width)d × %(height)d pixels "
                "at the ID-photo ratio; this one has %(found_width)d × %(found_height)d."
            )
            % {"width": WIDTH, "height": HEIGHT, "found_width": width, "found_height": height},
            field="photo",
        )
    resized = ImageOps.fit(image, (WIDTH, HEIGHT), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    clean = Image.new("RGB", resized.size)
    clean.paste(resized)  # a new image: nothing of the source's info dictionary comes along
    return clean
