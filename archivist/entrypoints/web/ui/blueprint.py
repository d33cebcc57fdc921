"""The operator pages' blueprint; each page module adds its routes to it."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("ui", __name__)
