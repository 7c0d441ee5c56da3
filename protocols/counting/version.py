"""Version of the counting engine, stored with every result.

Bump the minor version when a count could come out differently (a rule fix, a new tie rule
default), the patch version for changes that never alter a result (reporting, speed).
"""

ENGINE_VERSION = "1.0.0"
