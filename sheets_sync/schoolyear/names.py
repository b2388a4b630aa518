"""The French names of weekdays and months, as the calendar prints them and people type them.

Kept apart from calendar.py so that reading a roster's « Disponibilités » (availability.py)
does not load the school calendar.
"""

from __future__ import annotations

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
