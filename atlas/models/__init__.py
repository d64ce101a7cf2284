from .bourse import BourseAlert, BourseInterest, BourseProject
from .exports import ExportJob
from .pages import AtlasPage, BoursePage
from .records import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartConfirmation,
    PartnerAuthority,
    Project,
    Theme,
    name_key,
)

__all__ = [
    "AtlasPage",
    "BourseAlert",
    "BourseInterest",
    "BourseProject",
    "Authority",
    "BoursePage",
    "Contact",
    "Cooperation",
    "Country",
    "ExportJob",
    "Network",
    "PartConfirmation",
    "PartnerAuthority",
    "Project",
    "Theme",
    "name_key",
]
