"""Reaching the schools: reminders (what is missing, in French) and their .eml drafts.

`reminders` (who to chase and the « Relances » tab), `texts` (the editable message
templates), `drafts` (one unsent .eml per school). Nothing is ever sent.
"""
