# feature: module-naming
"""A package with implicit namespace subpackages (folders without __init__.py inside it), a
package shadowing a module of the same name, and two modules named alike in two packages."""
