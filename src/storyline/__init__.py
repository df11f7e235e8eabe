"""storyline: raw news in; a sourced, dated record of who did what to whom out."""

__version__ = "0.1.0"
