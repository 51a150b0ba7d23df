"""Set a machine and a project up: shell code, rc blocks, proxy, VS Code, GoLand, Dockerfile.

Every file a user owns is changed through :mod:`gorig.configure.managed`: only inside a marked
block (or, for JSON with comments, only the keys gorig owns), with a backup beside it and one
atomic rename.
"""
