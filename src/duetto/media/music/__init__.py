"""Music: a brief becomes a plan (``MusicSpec``), the plan a ``Piece`` of notes, the piece MIDI,
MusicXML, audio and pictures.

One module per job: ``theory`` (scales, chords), ``score`` (the in-memory piece), ``styles``
(each style's tempo, form and band; the mood rules), ``plan`` (spec → music plan), ``harmony``,
``melody`` (the corpus-trained model), ``arrange`` (bass, accompaniment, drums), ``compose``
(form and sections), ``midi``, ``musicxml``, ``audio``, ``pictures``, ``evaluate`` and ``engine``
(the ``composer`` engine the studio calls).
"""
