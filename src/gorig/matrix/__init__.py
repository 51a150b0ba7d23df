"""Release matrices (``gorig build``): compile each target, prove each artifact, write
checksums, join universal Mach-O files."""
