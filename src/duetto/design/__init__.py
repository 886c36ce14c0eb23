"""Design assistance: palettes (harmonies, moods, extraction), text contrast, swatch sheets and
the reading of a reference image as a brief. Pure functions over colours and pixels; the studio
operations that store versions live in ``duetto.studio.design``."""
