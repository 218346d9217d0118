"""The relay's HTTP API: async handlers, framework hooks and loop-side housekeeping."""

from .events import EventHandler
from .health import HealthHandler
from .housekeeping import Housekeeper
from .sessions import SessionHandler
from .skills import SkillHandler
from .tools import ToolHandler
from .uploads import UploadHandler

__all__ = [
    "EventHandler",
    "HealthHandler",
    "Housekeeper",
    "SessionHandler",
    "SkillHandler",
    "ToolHandler",
    "UploadHandler",
]
