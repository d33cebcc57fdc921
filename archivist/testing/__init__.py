"""Stand-ins for the station's servers, for tests, demos and trying a setup without the real thing."""
