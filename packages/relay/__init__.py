"""Agent relay: an async HTTP gateway between agents and their sessions, files, skills and tools.

This is blocking-io's embedded default target: a small service with the blocking-IO bug
shapes real services ship, some fixed and anchored by runtime tests, some not. See
``packages/README.md`` for the map and ``packages/answer_key.toml`` for what the detectors
must report.
"""

__version__ = "1.4.0"
