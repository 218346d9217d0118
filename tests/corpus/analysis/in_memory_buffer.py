# feature: in-memory-buffer
"""Archives and serialisation over an in-memory buffer are CPU work, not file IO."""

import io
import json
import pickle
import tarfile
import zipfile


async def export_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:  # ok: a zip in memory
        for name, content in files.items():
            zf.writestr(name, content)  # ok: writes into the in-memory zip
    return buffer.getvalue()


async def read_upload(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # ok: a zip in memory
        return [zf.read(n).decode() for n in zf.namelist()]  # ok: reads from memory


async def read_tar(data: bytes) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:  # ok: a tar in memory
        return tf.getnames()


async def dump_json(obj: dict) -> str:
    out = io.StringIO()
    json.dump(obj, out)  # ok: into a StringIO
    pickle.dump(obj, io.BytesIO())  # ok: into a BytesIO
    return out.getvalue()


async def export_to_disk(files: dict[str, str], path: str) -> None:
    with zipfile.ZipFile(path, "w") as zf:  # expect: BIO114
        for name, content in files.items():
            zf.writestr(name, content)  # listed: BIO114


async def dump_to_file(obj: dict, fp) -> None:
    json.dump(obj, fp)  # expect: BIO115
