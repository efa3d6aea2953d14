"""Receiving an archive: streamed to a private folder, stopped as soon as it is too big.

Django parses a multipart body only when a view first reads ``request.POST`` or
``request.FILES``; the upload view installs :class:`ArchiveUploadHandler` before that, so
the file goes straight to disk in chunks (never whole in memory) and nothing is written
past the limit. :class:`CountingStream` tells an upload that was cut off (the browser
closed, the network dropped) from a complete one: Django would otherwise take the part
that arrived as the whole file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from kaleidoscope.check.archives import scratch

from . import services

FIELD = "archive"
FORM_OVERHEAD = 64 * 1024  # multipart framing and the CSRF field around the file
_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(name: str) -> str:
    """A file name that is safe on disk and still tells the person which file it was."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")[-120:]
    return cleaned or "archive"


class CountingStream:
    """Wraps the request body and counts the bytes actually read from it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.count = 0

    def read(self, *args: Any) -> bytes:
        data: bytes = self._stream.read(*args)
        self.count += len(data)
        return data

    def readline(self, *args: Any) -> bytes:
        data: bytes = self._stream.readline(*args)
        self.count += len(data)
        return data

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class ArchiveUploadHandler(FileUploadHandler):
    """Writes the one ``archive`` file into a fresh private folder, in chunks."""

    chunk_size = 256 * 1024

    def __init__(self, request: Any, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.folder: Path | None = None
        self.path: Path | None = None
        self.original_name = ""
        self.size = 0
        self.too_big = False
        self.complete = False
        self._out: IO[bytes] | None = None

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        if content_length > self.limit + FORM_OVERHEAD:
            # Refuse before reading a byte of the body: nothing reaches the disk.
            self.too_big = True
            return QueryDict(), MultiValueDict()
        return None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name != FIELD or self.path is not None:
            raise SkipFile()  # only one archive per upload; anything else is ignored
        self.original_name = file_name
        self.folder = services.new_upload_dir()
        self.path = self.folder / safe_name(file_name)
        # 0600 whatever the umask, in a 0700 folder (closed in file_complete/discard)
        self._out = os.fdopen(scratch.private_file(self.path), "wb")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self._out is None:
            return None
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_big = True
            self.discard()
            raise StopUpload(connection_reset=True)
        self._out.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
            self.complete = True
        return None  # the view reads ``path``: nothing goes into request.FILES

    def upload_interrupted(self) -> None:
        self.discard()

    def discard(self) -> None:
        """Close and delete whatever was written (safe to call more than once)."""
        if self._out is not None:
            self._out.close()
            self._out = None
        services.remove_upload_dir(self.folder)
        self.folder = None
        self.path = None
        self.complete = False
