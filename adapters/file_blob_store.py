"""Blobs as content-addressed files under a directory (the embedded default)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from application.ports import BlobStore

REF = re.compile(r"^sha256:([0-9a-f]{64})$")


class FileBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, content_type: str) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a crash never leaves a truncated blob under its name.
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        return f"sha256:{digest}"

    def get(self, ref: str) -> bytes:
        match = REF.match(ref)
        if match is None:
            raise KeyError(ref)
        try:
            return self._path(match.group(1)).read_bytes()
        except FileNotFoundError:
            raise KeyError(ref) from None

    def refs(self) -> Iterator[str]:
        """Every stored reference (for `paperbanana migrate`)."""
        for path in sorted(self.root.glob("??/*")):
            if len(path.parent.name + path.name) == 64:  # not a temporary file
                yield f"sha256:{path.parent.name}{path.name}"

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest[2:]
