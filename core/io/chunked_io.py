"""Reading a large CSV file fast: parsing ahead in a thread, and in two halves.

Used by the chunked long path (:mod:`.long_fast`).
"""

from __future__ import annotations

_END = object()


class ReadAhead:
    """A reader's chunks, parsed in a thread while the caller sums the one before.

    pandas' C parser and numpy release the GIL for most of their work, so on two
    cores the summing (or a second parser) runs beside the parsing. Errors reach
    the caller in order; leaving the ``with`` block stops the thread.
    """

    def __init__(self, reader) -> None:
        import queue
        import threading

        self.ready: queue.Queue = queue.Queue(maxsize=1)
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self._work, args=(reader,), name="elect-read-ahead", daemon=True
        )
        self.thread.start()

    def _hand(self, item) -> bool:
        import queue

        while not self.stop.is_set():
            try:
                self.ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _work(self, reader) -> None:
        try:
            for chunk in reader:
                if not self._hand(chunk):
                    return
            self._hand(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the summing thread
            self._hand(exc)

    def __iter__(self):
        while True:
            item = self.ready.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def halves(src, enc: str, threshold: int):
    """Two byte ranges split at a line end, when a file can be parsed in two pieces:
    a plain file on disk, large, in an encoding whose newline is one byte, with no
    quoted field (which could hold a line end)."""
    import mmap

    if src.path is None or src.compression or src.data is not None:
        return None
    if enc.lower().replace("_", "-") not in ("utf-8", "utf-8-sig", "ascii", "cp1251", "latin-1"):
        return None
    size = src.path.stat().st_size
    if size < threshold:
        return None
    with open(src.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        if m.find(b'"') >= 0:
            return None
        mid = m.find(b"\n", size // 2)
        if mid < 0 or mid + 1 >= size:
            return None
    return [(0, mid + 1), (mid + 1, size)]


def byte_range(path, start: int, end: int):
    """A buffered binary stream of bytes ``start`` to ``end`` of a file."""
    import io

    class Range(io.RawIOBase):
        def __init__(self) -> None:
            self.f = open(path, "rb")  # noqa: SIM115 - closed with the stream
            self.f.seek(start)
            self.left = end - start

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            n = min(len(b), self.left)
            if n <= 0:
                return 0
            got = self.f.readinto(memoryview(b)[:n])
            self.left -= got
            return got

        def close(self) -> None:
            self.f.close()
            super().close()

    return io.BufferedReader(Range(), 1 << 20)
