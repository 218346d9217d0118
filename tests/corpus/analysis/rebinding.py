# feature: rebinding
"""A local's type at a use is that of the binding that reaches it: a name first bound to a
str and then to a Path (or re-annotated) is a Path after that; bindings on different
branches are all candidates."""

from pathlib import Path


class Record:
    path: str
    note: str


def fetch(path: str) -> str:
    return path


async def serve(record: Record) -> str:
    file_path = record.path
    if file_path:
        file_path = fetch(file_path)
        file_path = Path(file_path)
        if file_path.is_file():  # expect: BIO106
            return "cached"
    if not file_path or not file_path.is_file():  # expect: BIO106
        return "missing"
    return "found"


async def before_rebinding(record: Record) -> str:
    name = record.note
    stem = name.replace("-", "_")  # ok: a str here; the Path binding comes later
    name = Path(stem)
    return str(name)


async def parameter_rebound(target: str) -> bool:
    target = Path(target)
    return target.exists()  # expect: BIO106


async def parameter_before(target: str, other: str) -> str:
    cleaned = target.replace("\\", "/")  # ok: str.replace, before target is rebound
    target = Path(cleaned)
    return str(target)


async def reannotated() -> str:
    value: str = "/srv/notes.txt"
    value.replace("a", "b")  # ok: str.replace while value is a str
    value: Path = Path(value)
    return value.read_text()  # expect: BIO102


async def reannotated_back() -> str:
    value: Path = Path("/srv/notes.txt")
    value: str = value.name
    return value.replace("a", "b")  # ok: re-annotated as str, str.replace


async def either_branch(flag: bool) -> str:
    if flag:
        source = "inline text"
    else:
        source = Path("/srv/notes.txt")
    return source.read_text()  # expect: BIO102


async def rebound_to_str(record: Record) -> str:
    where = Path(record.path)
    where = str(where)
    return where.replace("/", "_")  # ok: the str binding reaches here, not the Path


def static_files(root, prefix: str):
    root = Path(root)  # the parameter bound again: what the handler below sees

    async def serve(name: str) -> bool:
        prefix.replace("/", "")  # ok: str.replace on the enclosing function's str parameter
        return (root / name).is_dir()  # expect: BIO106

    return serve
