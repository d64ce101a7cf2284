from .exports import ExportJob
from .pages import AtlasPage
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
    "Authority",
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
