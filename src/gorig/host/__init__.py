"""Host facts: what machine this is, read once, serialisable, replaceable in tests.

Everything gorig decides about "this machine" goes through :class:`HostFacts`, so darwin
logic is tested on Linux with recorded facts. ``probe()`` reads the live machine;
``HostFacts.from_dict`` loads recorded ones.
"""

from gorig.host.facts import HostFacts, native_platform, probe

__all__ = ["HostFacts", "native_platform", "probe"]
