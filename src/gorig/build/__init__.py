"""Matrix builds: compile each target, prove each artifact, checksums, universal Mach-O."""
