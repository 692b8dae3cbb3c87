"""The payment QR code as a PNG: the backend's GOST R 56042-2014 text drawn for banking apps to scan."""

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

#: Pixels per module: a code of about 60 modules comes out near 700 px, sharp after Telegram recompresses the photo.
BOX_SIZE = 10


def payment_qr(payload: str) -> bytes:
    """A PNG of `payload` in byte mode, UTF-8 (what the header ST00012's encoding 2 says).

    Pure and thread-safe (no shared state), so the bot runs it in a worker thread.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=BOX_SIZE, border=4)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
