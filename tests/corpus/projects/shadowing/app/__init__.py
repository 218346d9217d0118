# feature: name-collision
"""An API whose modules are named like blocking libraries (requests, queue, shutil)."""
