from .comments import CommentReport, ExperienceComment
from .pages import (
    EventIndexPage,
    EventPage,
    ExperienceAuthority,
    ExperienceIndexPage,
    ExperiencePage,
    ExperiencePhoto,
    ExperienceProject,
    ResourceIndexPage,
    ResourcePage,
    TourismHomePage,
)
from .themes import TourismTheme

__all__ = [
    "CommentReport",
    "EventIndexPage",
    "EventPage",
    "ExperienceAuthority",
    "ExperienceComment",
    "ExperienceIndexPage",
    "ExperiencePage",
    "ExperiencePhoto",
    "ExperienceProject",
    "ResourceIndexPage",
    "ResourcePage",
    "TourismHomePage",
    "TourismTheme",
]
