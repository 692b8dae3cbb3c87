"""Reading a payment QR code back in tests: decoded with a real QR decoder (zxing-cpp), split into GOST fields."""

import io

import zxingcpp
from PIL import Image


def decode(png: bytes) -> str:
    """The text of the one QR code in the image, as a banking app's scanner reads it."""
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text


def fields(payload: str) -> dict[str, str]:
    """`ST00012|Key=value|…` as {Key: value}; the header must be the UTF-8 one."""
    header, *parts = payload.split("|")
    assert header == "ST00012"
    pairs = [part.split("=", 1) for part in parts]
    assert all(len(pair) == 2 for pair in pairs), payload
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), payload
    return dict(pairs)
