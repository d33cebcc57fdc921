"""Cablecast, the station's VOD server, over its REST API (JSON, HTTP Basic).

`CablecastClient` makes the calls (timeouts, deadline, retries, circuit); `CablecastPlatform`
is the VodPlatform port on top of it; `CablecastProbe` reports health.
"""

from archivist.adapters.cablecast.platform import CablecastPlatform
from archivist.adapters.cablecast.probe import CablecastProbe
from archivist.adapters.cablecast.transport import CablecastClient
from archivist.adapters.cablecast.wire import api_base, api_url
from archivist.domain.errors import CablecastError

__all__ = ["CablecastClient", "CablecastError", "CablecastPlatform", "CablecastProbe", "api_base",
           "api_url"]
