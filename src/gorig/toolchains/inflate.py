"""A .tar.gz's tar stream, inflated by a second thread in bounded pieces.

The stream never holds more than ``WINDOW`` inflated bytes, and stops at the first byte past
the archive's limit (``inflation_limit``: ``MAX_INFLATION`` times its size plus ``SLACK``,
``MAX_TOTAL`` at most), so a decompression bomb, with an honest or a forged size trailer,
costs neither memory nor disk. The trailer's CRC and size are still checked by zlib at the
end. zlib releases the GIL, so inflating overlaps with writing files, the way
``gzip -d | tar -x`` overlaps in two processes.
"""

from __future__ import annotations

import threading
import zlib
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _

MAX_INFLATION = 32  # times the archive's size, plus SLACK; Go archives inflate 3.5-fold
SLACK = 64 << 20
MAX_TOTAL = 2 << 30  # no Go release comes near 2 GiB unpacked
PIECE = 1 << 20  # inflated bytes per piece
WINDOW = 64 << 20  # inflated bytes held in memory at most
MAX_HEADER = 1 << 20  # one tar header read (long names, pax records)


def inflation_limit(compressed: int) -> int:
    """The most bytes an archive of ``compressed`` bytes may inflate to."""
    return min(MAX_INFLATION * compressed + SLACK, MAX_TOTAL)


def too_big(archive: str, limit: int, claimed: int | None = None) -> GorigError:
    """The refusal of an archive past ``limit``: as it inflates, or by the size it claims."""
    if claimed is None:
        refused = _(
            "{archive} inflates to more than the {limit} MiB a Go toolchain archive of its size "
            "can hold; refusing it (a decompression bomb?)"
        )
    else:
        refused = _(
            "{archive} says it inflates to {claimed} MiB, more than the {limit} MiB a Go "
            "toolchain archive of its size can hold; refusing it (a decompression bomb?)"
        )
    return GorigError(
        refused.format(archive=archive, claimed=(claimed or 0) >> 20, limit=limit >> 20)
    )


class GzipStream:
    """The tar inside a .tar.gz, inflated by a background thread while it is being read.

    zlib releases the GIL, so inflating overlaps with parsing and writing files. The thread
    appends pieces of at most ``PIECE`` bytes and waits while it is ``WINDOW`` bytes ahead of
    the reader; the reader drops the pieces it has passed (tarfile only reads forward, and
    looks back one byte before each header). Past ``limit`` inflated bytes the stream is
    refused. Readers block until the bytes they ask for exist.
    """

    def __init__(self, archive: Path) -> None:
        self.name = archive.name
        self.limit = inflation_limit(_gzip_file_size(archive))
        self.pieces: deque[tuple[int, bytes]] = deque()  # (offset, bytes), contiguous
        self.released = self.filled = self.position = 0
        self.done = self.stopped = self.draining = False
        self.error: BaseException | None = None
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._inflate, args=(archive,), daemon=True)
        self.thread.start()

    def _inflate(self, archive: Path) -> None:
        try:
            inflater = zlib.decompressobj(wbits=31)
            with archive.open("rb") as file:
                while not self.stopped and not inflater.eof and (data := file.read(PIECE)):
                    self._inflate_all(inflater, data)
                self._inflate_all(inflater, b"")  # what zlib still holds
                if self.stopped:
                    return
                if not inflater.eof:
                    raise GorigError(
                        _("{archive}: the gzip stream is truncated").format(archive=self.name)
                    )
                if inflater.unused_data or file.read(1):
                    raise GorigError(
                        _("{archive} holds data after its gzip stream").format(archive=self.name)
                    )
        except BaseException as error:  # handed to the reading thread
            self.error = error
        finally:
            with self.ready:
                self.done = True
                self.ready.notify_all()

    def _inflate_all(self, inflater: zlib._Decompress, data: bytes) -> None:
        """Inflate ``data`` a piece at a time, never more than ``PIECE`` bytes at once."""
        while not self.stopped and not inflater.eof:
            piece = inflater.decompress(data, PIECE)
            self._put(piece)
            data = inflater.unconsumed_tail
            if not data and len(piece) < PIECE:
                return

    def _put(self, data: bytes) -> None:
        end = self.filled + len(data)
        if end > self.limit:
            raise too_big(self.name, self.limit)
        with self.ready:
            while self.filled - self.released >= WINDOW and not (self.stopped or self.draining):
                self.ready.wait()
            if self.draining:
                self.released = end
            elif data:
                self.pieces.append((self.filled, data))
            self.filled = end
            self.ready.notify_all()

    def _release(self, upto: int) -> None:
        """Drop the pieces that end at or before ``upto`` (the lock is held)."""
        pieces = self.pieces
        if pieces and pieces[0][0] + len(pieces[0][1]) <= upto:
            while pieces and pieces[0][0] + len(pieces[0][1]) <= upto:
                offset, data = pieces.popleft()
                self.released = offset + len(data)
            self.ready.notify_all()

    def views(self, start: int, end: int) -> Iterator[memoryview]:
        """The bytes ``[start, end)`` as views of the inflated pieces, waiting for each;
        fewer at the end of the stream."""
        at = start
        while at < end:
            with self.ready:
                if at < self.released:
                    raise GorigError(
                        _("{archive}: the tar reads backwards; not a Go archive").format(
                            archive=self.name
                        )
                    )
                self._release(at)
                while self.filled <= at and not self.done:
                    self.ready.wait()
                if self.filled <= at:
                    if self.error is not None:
                        raise self.error
                    return
                offset, data = self.pieces[0]
            view = memoryview(data)[at - offset : end - offset]
            at += len(view)
            yield view

    def exactly(self, start: int, end: int, member: str) -> Iterator[memoryview]:
        """Like :meth:`views`, but the stream ending early is an error."""
        got = start
        for view in self.views(start, end):
            got += len(view)
            yield view
        if got < end:
            raise GorigError(
                _("{archive} ends inside {member}: the archive is truncated").format(
                    archive=self.name, member=repr(member)
                )
            )

    def finish(self) -> None:
        """Inflate the rest without keeping it (its trailer is still checked); raise what
        the inflater met (a truncated stream, a bad CRC, too many bytes)."""
        with self.ready:
            self.draining = True
            self.pieces.clear()
            self.released = self.filled
            self.ready.notify_all()
        self.thread.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        with self.ready:
            self.stopped = True
            self.ready.notify_all()
        self.thread.join()

    # The file interface tarfile uses in "r:" mode.
    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset + (self.position if whence == 1 else 0)
        return self.position

    def read(self, size: int = -1) -> bytes:
        if not 0 <= size <= MAX_HEADER:
            raise GorigError(
                _("{archive} holds a tar header of {size} bytes; not a Go archive").format(
                    archive=self.name, size=size
                )
            )
        data = b"".join(self.views(self.position, self.position + size))
        self.position += len(data)
        return data


def _gzip_file_size(archive: Path) -> int:
    """The archive's size, once its first bytes show a gzip stream."""
    with archive.open("rb") as file:
        head = file.read(16)
        size = file.seek(0, 2)
    if not head.startswith(b"\x1f\x8b\x08"):
        raise GorigError(
            _("{archive} is not gzip-compressed (it starts {head}): not a .tar.gz").format(
                archive=archive.name, head=repr(head)
            )
        )
    if size < 18:
        raise GorigError(_("{archive} is too short to be a .tar.gz").format(archive=archive.name))
    return size
