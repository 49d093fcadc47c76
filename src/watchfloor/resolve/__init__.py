"""Resolve: names to the knowledge base's actors and places.

Keep this module's imports to modules that do not import `watchfloor.knowledge`
at run time: the knowledge stage imports `watchfloor.resolve.names`.
"""

from watchfloor.resolve.names import NameResolver, Resolution, normalise_name, slug

__all__ = ["NameResolver", "Resolution", "normalise_name", "slug"]
