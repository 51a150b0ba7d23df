"""The ``gorig inspect`` command's rules: which files a list of arguments names (Go's walk)
and ``go version -m``'s exact output. Reading executables is :mod:`gorig.binfmt`'s job."""
