"""Files both ways: what the bot uploads or re-sends by file_id, what users send, and getFile
with its download path."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from bot.sandbox.botapi.server import DOCUMENT_LIMIT, ApiHandler, Method, Params
from bot.sandbox.botapi.updates import Updates
from bot.sandbox.records import ApiError, StoredFile


def _tiny_png() -> bytes:
    """A valid 1×1 PNG: the default picture users "send"."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one white pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TINY_PNG = _tiny_png()


def image_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 800, 600  # not worth decoding other formats: nothing in the bot reads dimensions


PHOTO_LIMIT = 10 * 1024 * 1024  # Telegram: photos up to 10 MB, width + height ≤ 10000, ratio ≤ 20


def _check_photo(data: bytes) -> None:
    """Refuse an uploaded photo as Telegram does: too heavy, or too large or too thin a picture."""
    if len(data) > PHOTO_LIMIT:
        raise ApiError.bad_request("PHOTO_SAVE_FILE_INVALID")
    width, height = image_size(data)
    if width + height > 10000 or max(width, height) > 20 * max(min(width, height), 1):
        raise ApiError.bad_request("PHOTO_INVALID_DIMENSIONS")


class Files(Updates):
    """Stored files and getFile."""

    def _methods(self) -> dict[str, Method]:
        return {
            **super()._methods(),
            "getFile": self._get_file,
        }

    def _input_file(self, p: Params, kind: str) -> StoredFile:
        value = p.raw(kind)
        upload = p.uploads.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.uploads.get(value.removeprefix("attach://"))
        if upload is not None:
            if len(upload.body) > DOCUMENT_LIMIT:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo":
                _check_photo(upload.body)
            return self._store_file(kind, upload.filename, upload.body, upload.content_type)
        if isinstance(value, str) and value:
            if value in self._files:  # re-sending by file_id
                return self._files[value]
            if value.startswith(("http://", "https://")):
                name = value.rsplit("/", 1)[-1] or None
                return self._store_file(kind, name, b"", None, url=value)
            raise ApiError.bad_request("wrong file identifier/HTTP URL specified")
        raise ApiError.bad_request(f"there is no {kind} in the request")

    def _store_file(
        self,
        kind: str,
        filename: str | None,
        data: bytes,
        mime_type: str | None,
        url: str | None = None,
    ) -> StoredFile:
        n = next(self._file_seq)
        stored = StoredFile(
            file_id=f"EMU-{kind}-{n:06d}",
            file_unique_id=f"EMUU{n:06d}",
            kind=kind,
            filename=filename,
            data=data,
            mime_type=mime_type,
            url=url,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    @staticmethod
    def _media_json(stored: StoredFile) -> dict[str, Any]:
        base = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        if stored.kind == "photo":
            width, height = image_size(stored.data)
            return {"photo": [base | {"width": width, "height": height}]}
        if stored.kind == "sticker":
            sticker = base | {"type": "regular", "width": 512, "height": 512}
            return {"sticker": sticker | {"is_animated": False, "is_video": False}}
        document = dict(base)
        if stored.filename:
            document["file_name"] = stored.filename
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return {"document": document}

    async def _get_file(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        stored = self._files.get(p.text("file_id") or "")
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def file(self, file_id: str) -> StoredFile:
        return self._files[file_id]
