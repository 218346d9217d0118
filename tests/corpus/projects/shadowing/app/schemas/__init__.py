# feature: name-collision
"""Request / response schemas."""
