"""gen — stages de la licence professionnelle LP110 du Cnam, depuis un seul classeur."""

__version__ = "0.1.0"
