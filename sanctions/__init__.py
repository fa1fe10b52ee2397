"""The law as code: identifiers, deadline counting, the listing rules engine and the joint-sanction catalogue.

Pure Python: no Flask, no database. ``blacklist_service`` imports this package; it never imports back.
"""
