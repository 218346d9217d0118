"""Persistence: session database, event log, uploads, config and log files.

Everything in this package is synchronous and does blocking IO. That is deliberate: the
gateway decides what runs in a worker thread, and these classes stay simple to test.
"""

from .accesslog import AccessLog
from .config import ConfigFile
from .db import SessionDB, SessionRecord
from .deadletters import DeadLetterBox
from .events import Event, EventStore
from .uploads import StoredUpload, UploadEntry, UploadStore, sanitize_filename

__all__ = [
    "AccessLog",
    "ConfigFile",
    "DeadLetterBox",
    "Event",
    "EventStore",
    "SessionDB",
    "SessionRecord",
    "StoredUpload",
    "UploadEntry",
    "UploadStore",
    "sanitize_filename",
]
