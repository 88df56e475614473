"""Builders for the sample batch: identifiers, documents, scans, mails, and the cases themselves."""
