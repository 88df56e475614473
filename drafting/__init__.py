"""Drafting replies: templates, backends, and (later) knowledge retrieval."""

from drafting.backends import BACKENDS, DraftBackend, DraftRequest, make_backend, reply_subject

__all__ = ["BACKENDS", "DraftBackend", "DraftRequest", "make_backend", "reply_subject"]
