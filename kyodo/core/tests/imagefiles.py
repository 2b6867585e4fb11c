"""Image files for the upload tests, made with Pillow: a JPEG can carry EXIF with a GPS position."""

import io

from PIL import Image

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image_bytes(fmt: str = "JPEG", size=(40, 30), exif: bool = False, mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, "red" if mode != "P" else 1)
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x0112] = 6  # orientation: rotate 90° clockwise to display
        data[0x8825] = {2: (36.0, 33.0, 0.0)}  # a GPS latitude
        data[0x010E] = "secret description"
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()
