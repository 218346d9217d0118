# feature: reexport
"""The agent package re-exports its storage helpers."""

from .storage import load_transcript, save_transcript, transcript_location
from .storage.files import read_blob as load_blob

__all__ = ["load_blob", "load_transcript", "save_transcript", "transcript_location"]
