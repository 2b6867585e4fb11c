"""A small independent reader of the text in a PDF (no pypdf in the environment): inflate each stream,
read the fonts' ToUnicode maps, and turn the hex strings of the text operators back into Unicode."""

import re
import zlib


def _streams(data: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        raw = match.group(1)
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _cmap(streams: list[bytes]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for stream in streams:
        if b"begincmap" not in stream:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                start = int.from_bytes(bytes.fromhex(dst.decode()), "big")
                for offset, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    mapping[gid] = chr(start + offset)
    return mapping


ESCAPES = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"(": b"(",
    b")": b")",
    b"\\": b"\\",
}


def _literal(body: bytes) -> bytes:
    """The bytes of a PDF literal string's body (escapes and octal codes undone)."""
    out, i = bytearray(), 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = body[i + 1 : i + 2]
        if following in ESCAPES:
            out += ESCAPES[following]
            i += 2
        elif following.isdigit():
            digits = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4]).group(0)
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        else:  # a line continuation or an unknown escape: the character itself
            i += 2
    return bytes(out)


STRING = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>", re.S)


def text_of(data: bytes) -> str:
    """The text drawn in the PDF, in Unicode (each text object on its own line)."""
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    streams = _streams(data)
    mapping = _cmap(streams)
    pieces = []
    for stream in streams:
        for block in re.findall(rb"BT(.*?)ET", stream, re.S):
            for token in STRING.findall(block):
                raw = bytes.fromhex(token[1:-1].decode()) if token.startswith(b"<") else _literal(token[1:-1])
                for j in range(0, len(raw) - 1, 2):
                    pieces.append(mapping.get(int.from_bytes(raw[j : j + 2], "big"), "?"))
            pieces.append("\n")
    return "".join(pieces)
