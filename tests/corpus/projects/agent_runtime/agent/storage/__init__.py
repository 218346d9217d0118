# feature: reexport
"""Storage helpers, re-exported one level up."""

from .transcripts import load_transcript, save_transcript, transcript_location

__all__ = ["load_transcript", "save_transcript", "transcript_location"]
