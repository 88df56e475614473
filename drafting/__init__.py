"""Drafting replies: templates, backends, and knowledge retrieval.

base        the `DraftBackend` protocol, `DraftRequest`, `reply_subject`
templated   the `template` backend: the Jinja2 letter for the intent
generative  language-model drafts, checked by the guards, over `llm`'s models
backends    `BACKENDS`: name -> factory, and `make_backend(settings, templates_dir)`
"""

from drafting.backends import BACKENDS, make_backend
from drafting.base import DraftBackend, DraftRequest, reply_subject

__all__ = ["BACKENDS", "DraftBackend", "DraftRequest", "make_backend", "reply_subject"]
