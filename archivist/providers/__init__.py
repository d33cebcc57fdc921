"""How each gateway is built: configuration, policies, and resource initialisers.

Every third-party client is imported inside the function that builds it, so importing
this package costs nothing and connects to nothing.
"""
