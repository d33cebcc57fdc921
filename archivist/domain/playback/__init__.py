"""How a recording plays in a browser: media types, what browsers can decode, and the proxies made for the rest."""
