"""The agents' workspace in the browser: `rpa web` serves it (see app.py)."""

from rpa.web.app import create_app
from rpa.web.server import serve

__all__ = ["create_app", "serve"]
