from .pages import AtlasPage, BoursePage

__all__ = ["AtlasPage", "BoursePage"]
