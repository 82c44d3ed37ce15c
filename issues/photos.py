"""Photos that residents attach to a problem.

A photo is untrusted input that officers' browsers will display and that may carry the
resident's home location in its EXIF. So we never store what was uploaded: we decode it, check
it really is a JPEG, PNG or WebP of a sane size, and store a fresh encoding of the pixels only,
under a name we generate.
"""

import io
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3
MAX_DIMENSION = 2000  # longest side after re-encoding
# A phone photo is 12-50 megapixels. The limit is checked from the header, before any pixel is
# decoded, so a few kilobytes of compressed zeros cannot make us allocate gigabytes.
MAX_PIXELS = 40_000_000

# Decoded format -> (format we save, extension). Phones write multi-picture JPEGs, which Pillow
# reports as MPO; they are JPEGs to the resident and we keep only the first picture.
OUTPUT = {
    "JPEG": ("JPEG", ".jpg"),
    "MPO": ("JPEG", ".jpg"),
    "PNG": ("PNG", ".png"),
    "WEBP": ("WEBP", ".webp"),
}
SAVE_OPTIONS = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {}, "WEBP": {"quality": 85}}
# Only these parsers ever see the bytes: some other Pillow plugins are less hardened, and EPS
# would even start Ghostscript.
PARSERS = ["JPEG", "PNG", "WEBP"]


def prepare_photos(uploads: list[UploadedFile]) -> list[ContentFile]:
    """Check every upload before refusing, so the resident learns about all bad files at once
    instead of fixing them one submission at a time."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            ngettext(
                "You can add at most %(count)d photo.",
                "You can add at most %(count)d photos.",
                MAX_PHOTOS,
            ),
            code="too_many_photos",
            params={"count": MAX_PHOTOS},
        )
    photos, errors = [], []
    for upload in uploads:
        try:
            photos.append(prepare_photo(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return photos


def prepare_photo(upload: UploadedFile) -> ContentFile:
    """Validate a resident's photo and return a clean re-encoded copy under a generated name.

    The type comes from the decoded content, never from the file name or the browser's content
    type; re-encoding drops EXIF (GPS), XMP, ICC, comments and anything appended to the image.
    """
    upload.seek(0)
    # Read one byte past the limit: the size the client declared is not what we trust.
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 5 MB."), code="photo_too_large", params={"name": upload.name}
        )
    image, source_format = _decode(data, name=upload.name)
    output_format, extension = OUTPUT[source_format]
    return ContentFile(_encode(image, output_format), name=uuid.uuid4().hex + extension)


def _decode(data: bytes, *, name: str) -> tuple[Image.Image, str]:
    """Return the upright pixels and the detected format, or refuse the file."""
    try:
        with Image.open(io.BytesIO(data), formats=PARSERS) as probe:
            source_format = probe.format
            _check_pixels(probe, name=name)
            probe.verify()
        # verify() leaves the image unusable, and it does not decode JPEG data at all: only a
        # full load() notices a truncated or corrupt file.
        image = Image.open(io.BytesIO(data), formats=PARSERS)
        image.draft("RGB", (MAX_DIMENSION, MAX_DIMENSION))  # JPEG only: decode at reduced scale
        image.load()
        return ImageOps.exif_transpose(image), source_format
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(name) from error
    except Exception as error:
        # Pillow reports hostile or broken input with many exception types (OSError,
        # SyntaxError, ValueError, struct.error, ...). All of them mean "not a photo we accept".
        raise _not_a_photo(name) from error


def _check_pixels(image: Image.Image, *, name: str) -> None:
    if image.format not in OUTPUT:
        raise _not_a_photo(name)
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels(name)


def _not_a_photo(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a JPEG, PNG or WebP photo."), code="not_a_photo", params={"name": name}
    )


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has too many pixels (at most %(megapixels)d megapixels)."),
        code="photo_too_many_pixels",
        params={"name": name, "megapixels": MAX_PIXELS // 1_000_000},
    )


def _encode(image: Image.Image, output_format: str) -> bytes:
    """Save only the pixels. Pillow copies some metadata from `image.info` on save (the ICC
    profile for PNG, the comment for JPEG), so the pixels go into a fresh image first."""
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: a plain convert would clip nearly every pixel to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    keep_alpha = output_format != "JPEG" and image.has_transparency_data
    mode = "RGBA" if keep_alpha else "RGB"
    # Convert before resizing: Pillow resizes palette images with nearest-neighbour only.
    image = image.convert(mode)
    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
    clean = Image.new(mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, output_format, **SAVE_OPTIONS[output_format])
    return buffer.getvalue()


# Pages show photos as 100 px squares (a tap opens the photo): a square of 300 px is sharp on a
# phone's 3x screen, and weighs some 20 KB where the photo itself weighs up to a megabyte.
THUMBNAIL_SIZE = (300, 300)
THUMBNAIL_OPTIONS = {"quality": 75, "optimize": True}


def thumbnail_of(photo: bytes) -> ContentFile:
    """A JPEG square cut from the middle of a photo that `prepare_photo` already cleaned."""
    with Image.open(io.BytesIO(photo), formats=PARSERS) as image:
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
        if image.has_transparency_data:
            # A PNG or WebP with transparency, on white, as the page shows it.
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA"))
            image = background
        square = ImageOps.fit(image.convert("RGB"), THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    square.save(buffer, "JPEG", **THUMBNAIL_OPTIONS)
    return ContentFile(buffer.getvalue(), name=uuid.uuid4().hex + ".jpg")


def fill_thumbnails(model) -> int:
    """Give the stored photos of `model` (ProblemPhoto or MeetingFile) the thumbnails they
    lack, row by row (`manage.py fill_thumbnails`); returns how many were made. A file that is
    gone or cannot be read keeps none: the page then shows the photo itself."""
    made = 0
    for row in model.objects.filter(thumbnail="").iterator(chunk_size=200):
        try:
            with row.image.open("rb") as image:
                thumbnail = thumbnail_of(image.read())
        except Exception:  # a missing or broken file must not stop the others
            logger.warning(
                "No thumbnail for %s %s: its file cannot be read", model.__name__, row.pk
            )
            continue
        row.thumbnail.save(thumbnail.name, thumbnail, save=False)
        # An update, not save(): a row deleted meanwhile is simply gone, not an error.
        made += model.objects.filter(pk=row.pk).update(thumbnail=row.thumbnail.name)
    return made
