"""Residents' photos: only real JPEG, PNG and WebP images get through, and only their pixels."""

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from issues import photos
from issues.models import ProblemPhoto
from issues.photos import prepare_photo, prepare_photos
from issues.tests.factories import ProblemFactory

RED, BLUE = (255, 0, 0), (0, 0, 255)


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def picture(size=(40, 20), mode="RGB", image_format="JPEG", **options) -> bytes:
    """Left half red, right half blue, so a rotation shows in the pixels."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return encode(image, image_format, **options)


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(photo) -> Image.Image:
    image = Image.open(io.BytesIO(photo.read()))
    image.load()
    return image


def refusal(*uploads: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        prepare_photos(list(uploads))
    return caught.value


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (6.0, 12.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (106.0, 49.0, 0.0),
    }
    return exif


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG built row by row, so a huge canvas costs a few kilobytes and no test
    memory."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_jpeg_loses_its_exif_and_gps_data():
    data = picture(exif=exif_with_gps())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the premise

    result = reopen(prepare_photo(upload(data)))

    assert "exif" not in result.info
    assert not result.getexif()
    assert not result.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_jpeg_orientation_is_applied_to_the_pixels():
    data = picture(size=(40, 20), exif=exif_with_gps(orientation=6))

    result = reopen(prepare_photo(upload(data))).convert("RGB")

    # Orientation 6 means "rotate 90° clockwise to display": the red left half ends up on top.
    assert result.size == (20, 40)
    assert result.getpixel((10, 5))[0] > 200
    assert result.getpixel((10, 35))[2] > 200


def test_photo_gets_a_generated_name_with_the_right_extension():
    photo = prepare_photo(upload(picture(), name="rumah-saya.jpeg"))

    stem, extension = os.path.splitext(photo.name)
    assert extension == ".jpg"
    assert len(stem) == 32
    assert int(stem, 16) >= 0
    assert "rumah" not in photo.name


def test_two_uploads_of_the_same_file_get_different_names():
    first, second = prepare_photos([upload(picture()), upload(picture())])

    assert first.name != second.name


def test_jpeg_comment_and_colour_profile_are_dropped():
    data = picture(icc_profile=srgb_profile(), comment=b"Jl. Melati 5")

    photo = prepare_photo(upload(data))
    result = reopen(photo)

    assert "icc_profile" not in result.info
    assert "comment" not in result.info
    assert b"Melati" not in photo.open().read()


def test_png_is_accepted_stays_png_and_keeps_its_transparency():
    image = Image.new("RGBA", (30, 30), (0, 128, 0, 0))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Jl. Melati 5")
    data = encode(image, "PNG", pnginfo=text, icc_profile=srgb_profile())

    photo = prepare_photo(upload(data, name="a.png"))
    result = reopen(photo)

    assert photo.name.endswith(".png")
    assert result.format == "PNG"
    assert result.mode == "RGBA"
    assert result.getpixel((0, 0))[3] == 0
    assert "Comment" not in result.info
    assert "icc_profile" not in result.info


def test_the_thumbnail_is_a_300_px_jpeg_square_from_the_middle_on_white():
    # A wide photo: red left, blue right, with a transparent strip at the top.
    image = Image.new("RGBA", (1200, 600), (*BLUE, 255))
    image.paste((*RED, 255), (0, 0, 600, 600))
    image.paste((0, 0, 0, 0), (0, 0, 1200, 100))
    clean = prepare_photo(upload(encode(image, "PNG"), name="a.png")).read()

    thumbnail = photos.thumbnail_of(clean)
    result = reopen(thumbnail)

    assert thumbnail.name.endswith(".jpg") and result.format == "JPEG"
    assert result.size == (300, 300) and result.mode == "RGB"
    # The middle square: red on its left, blue on its right, white where it was transparent.
    assert result.getpixel((60, 200))[0] > 200 and result.getpixel((240, 200))[2] > 200
    assert min(result.getpixel((150, 10))) > 240
    assert len(thumbnail) < 20_000


def test_opaque_png_comes_out_without_an_alpha_channel():
    photo = prepare_photo(upload(picture(image_format="PNG"), name="a.png"))

    assert reopen(photo).mode == "RGB"


def test_webp_is_accepted_and_stays_webp():
    image = Image.new("RGBA", (30, 30), (0, 128, 0, 0))

    photo = prepare_photo(upload(encode(image, "WEBP"), name="a.webp"))
    result = reopen(photo)

    assert photo.name.endswith(".webp")
    assert result.format == "WEBP"
    assert result.mode == "RGBA"


def test_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg():
    second = Image.new("RGB", (40, 20), BLUE)
    data = encode(Image.new("RGB", (40, 20), RED), "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"  # the premise

    photo = prepare_photo(upload(data))

    assert photo.name.endswith(".jpg")
    assert reopen(photo).format == "JPEG"


def test_type_comes_from_the_content_not_the_name_or_content_type():
    photo = prepare_photo(upload(picture(image_format="PNG"), name="photo.jpg"))

    assert photo.name.endswith(".png")
    assert reopen(photo).format == "PNG"


def test_large_image_is_downscaled_to_2000_px_on_its_longest_side():
    photo = prepare_photo(upload(picture(size=(3000, 1500))))

    assert reopen(photo).size == (2000, 1000)


def test_sixteen_bit_greyscale_png_keeps_its_tones():
    data = encode(Image.new("I;16", (10, 10), 40000), "PNG")

    result = reopen(prepare_photo(upload(data, name="scan.png")))

    assert result.getpixel((5, 5)) == (156, 156, 156)


def test_file_over_5_mb_is_refused_even_if_it_is_an_image():
    data = picture() + b"\0" * (6 * 1024 * 1024)

    error = refusal(upload(data, name="besar.jpg"))

    assert [e.code for e in error.error_list] == ["photo_too_large"]
    assert "besar.jpg" in error.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param(b"just some text", id="text"),
        pytest.param(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", id="pdf"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', id="svg"
        ),
        pytest.param(b"", id="empty"),
        pytest.param(b"<html><script>alert(1)</script></html>" + picture(), id="html-then-jpeg"),
    ],
)
def test_file_that_only_pretends_to_be_a_photo_is_refused(data):
    error = refusal(upload(data, name="photo.jpg"))

    assert [e.code for e in error.error_list] == ["not_a_photo"]
    assert "photo.jpg" in error.messages[0]


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_image_in_another_format_is_refused(image_format):
    error = refusal(upload(picture(image_format=image_format), content_type="image/jpeg"))

    assert [e.code for e in error.error_list] == ["not_a_photo"]


def test_truncated_jpeg_is_refused():
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    data = encode(noise, "JPEG")

    error = refusal(upload(data[: len(data) // 2]))

    assert [e.code for e in error.error_list] == ["not_a_photo"]


def test_script_appended_to_a_real_jpeg_is_not_kept():
    data = picture() + b"<html><script>alert(1)</script></html>"

    photo = prepare_photo(upload(data))

    assert b"script" not in photo.open().read()


def test_image_with_too_many_pixels_is_refused_from_its_header():
    data = blank_png(8000, 8000)  # 64 megapixels in a few kilobytes
    assert len(data) < 100_000  # the premise

    error = refusal(upload(data, name="bom.png"))

    assert [e.code for e in error.error_list] == ["photo_too_many_pixels"]
    assert "bom.png" in error.messages[0]


def test_decompression_bomb_pillow_itself_rejects_is_refused():
    error = refusal(upload(blank_png(20000, 20000), name="bom.png"))  # 400 megapixels

    assert [e.code for e in error.error_list] == ["photo_too_many_pixels"]


def test_image_at_the_pixel_limit_is_accepted_and_one_column_more_is_not(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 40 * 20)

    prepare_photo(upload(picture(size=(40, 20))))
    error = refusal(upload(picture(size=(41, 20))))

    assert [e.code for e in error.error_list] == ["photo_too_many_pixels"]


def test_three_photos_are_accepted():
    assert len(prepare_photos([upload(picture()) for _ in range(3)])) == 3


def test_more_than_three_photos_are_refused():
    error = refusal(*[upload(picture()) for _ in range(4)])

    assert [e.code for e in error.error_list] == ["too_many_photos"]


def test_one_error_names_every_bad_file():
    error = refusal(
        upload(picture(), name="good.jpg"),
        upload(b"<html></html>", name="page.jpg"),
        upload(picture(image_format="GIF"), name="anim.gif"),
    )

    assert len(error.messages) == 2
    assert "page.jpg" in error.messages[0]
    assert "anim.gif" in error.messages[1]


@pytest.mark.django_db
def test_photos_stored_before_thumbnails_get_theirs_and_a_lost_file_is_skipped(area, settings):
    settings.LANGUAGE_CODE = "en"
    problem = ProblemFactory(village=area.village)
    kept = ProblemPhoto.objects.create(
        problem=problem, image=prepare_photo(upload(picture(size=(900, 600))))
    )
    lost = ProblemPhoto.objects.create(
        problem=problem, image=prepare_photo(upload(picture(size=(900, 600))))
    )
    lost.image.storage.delete(lost.image.name)

    output = io.StringIO()
    call_command("fill_thumbnails", stdout=output)
    # The photo whose file is lost has none.
    assert output.getvalue().splitlines()[0].endswith(": 1 thumbnail made.")
    call_command("fill_thumbnails", stdout=output)  # a second run makes none
    assert output.getvalue().splitlines()[2].endswith(": 0 thumbnails made.")

    kept.refresh_from_db()
    assert reopen(kept.thumbnail.open("rb")).size == (300, 300)
    # (Read without loading the row: its image field would look for the lost file's size.)
    assert ProblemPhoto.objects.filter(pk=lost.pk).values_list("thumbnail", flat=True).get() == ""
