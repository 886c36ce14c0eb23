"""Rights: the studio's signing identity and signed provenance (C2PA) of published works.

Services below the studio: they sign and read bytes and keep key files, and never touch the
database (the studio's ``publish`` and ``verify`` acts do, through the store).
"""
