"""The OECD DAC code lists the e-APD declaration uses, small and exact.

Sources: the OECD "DAC and CRS code lists" (https://www.oecd.org/dac/stats/dacandcrscodelists.htm), as
mirrored by the IATI non-embedded code lists (github.com/IATI/IATI-Codelists-NonEmbedded):
- the DAC List of ODA Recipients for reporting on aid in 2024 and 2025, with each one's CRS recipient code;
- CRS purpose codes (5 digits), grouped by their DAC sector (the first 3 digits): only the purposes local
  authorities declare, plus "sectors not specified" and the administrative costs that the amounts include;
- CRS channel codes of the three channels a local authority uses and of the multilateral bodies it funds;
- CRS policy markers, each scored 0 (not targeted), 1 (significant objective) or 2 (principal objective).

The national CRS export (aid-national) reads these constants; the declaration form offers them.
"""

from django.utils.translation import gettext_lazy as _

# The DAC List of ODA Recipients by the years of aid it covers: ISO 3166 alpha-2 code -> CRS recipient code.
DAC_LISTS = {
    (2024, 2025): {
        "TR": 55,  # Turkey
        "XK": 57,  # Kosovo
        "RS": 63,  # Serbia
        "BA": 64,  # Bosnia and Herzegovina
        "ME": 65,  # Montenegro
        "MK": 66,  # North Macedonia
        "AL": 71,  # Albania
        "UA": 85,  # Ukraine
        "BY": 86,  # Belarus
        "MD": 93,  # Moldova
        "DZ": 130,  # Algeria
        "LY": 133,  # Libya
        "MA": 136,  # Morocco
        "TN": 139,  # Tunisia
        "EG": 142,  # Egypt
        "ZA": 218,  # South Africa
        "AO": 225,  # Angola
        "BW": 227,  # Botswana
        "BI": 228,  # Burundi
        "CM": 229,  # Cameroon
        "CV": 230,  # Cabo Verde
        "CF": 231,  # Central African Republic
        "TD": 232,  # Chad
        "KM": 233,  # Comoros
        "CG": 234,  # Congo
        "CD": 235,  # Democratic Republic of the Congo
        "BJ": 236,  # Benin
        "ET": 238,  # Ethiopia
        "GA": 239,  # Gabon
        "GM": 240,  # Gambia
        "GH": 241,  # Ghana
        "GN": 243,  # Guinea
        "GW": 244,  # Guinea-Bissau
        "GQ": 245,  # Equatorial Guinea
        "CI": 247,  # Cote d'Ivoire
        "KE": 248,  # Kenya
        "LS": 249,  # Lesotho
        "LR": 251,  # Liberia
        "MG": 252,  # Madagascar
        "MW": 253,  # Malawi
        "ML": 255,  # Mali
        "MR": 256,  # Mauritania
        "MU": 257,  # Mauritius
        "MZ": 259,  # Mozambique
        "NE": 260,  # Niger
        "NG": 261,  # Nigeria
        "ZW": 265,  # Zimbabwe
        "RW": 266,  # Rwanda
        "ST": 268,  # Sao Tome and Principe
        "SN": 269,  # Senegal
        "ER": 271,  # Eritrea
        "SL": 272,  # Sierra Leone
        "SO": 273,  # Somalia
        "DJ": 274,  # Djibouti
        "NA": 275,  # Namibia
        "SH": 276,  # Saint Helena
        "SD": 278,  # Sudan
        "SS": 279,  # South Sudan
        "SZ": 280,  # Eswatini
        "TZ": 282,  # Tanzania
        "TG": 283,  # Togo
        "UG": 285,  # Uganda
        "BF": 287,  # Burkina Faso
        "ZM": 288,  # Zambia
        "CR": 336,  # Costa Rica
        "CU": 338,  # Cuba
        "DO": 340,  # Dominican Republic
        "SV": 342,  # El Salvador
        "GT": 347,  # Guatemala
        "HT": 349,  # Haiti
        "HN": 351,  # Honduras
        "BZ": 352,  # Belize
        "JM": 354,  # Jamaica
        "MX": 358,  # Mexico
        "NI": 364,  # Nicaragua
        "PA": 366,  # Panama
        "DM": 378,  # Dominica
        "GD": 381,  # Grenada
        "LC": 383,  # Saint Lucia
        "VC": 384,  # Saint Vincent and the Grenadines
        "MS": 385,  # Montserrat
        "AR": 425,  # Argentina
        "BO": 428,  # Bolivia
        "BR": 431,  # Brazil
        "CO": 437,  # Colombia
        "EC": 440,  # Ecuador
        "GY": 446,  # Guyana
        "PY": 451,  # Paraguay
        "PE": 454,  # Peru
        "SR": 457,  # Suriname
        "VE": 463,  # Venezuela
        "IR": 540,  # Iran
        "IQ": 543,  # Iraq
        "JO": 549,  # Jordan
        "PS": 550,  # West Bank and Gaza Strip
        "LB": 555,  # Lebanon
        "SY": 573,  # Syrian Arab Republic
        "YE": 580,  # Yemen
        "AM": 610,  # Armenia
        "AZ": 611,  # Azerbaijan
        "GE": 612,  # Georgia
        "KZ": 613,  # Kazakhstan
        "KG": 614,  # Kyrgyzstan
        "TJ": 615,  # Tajikistan
        "TM": 616,  # Turkmenistan
        "UZ": 617,  # Uzbekistan
        "AF": 625,  # Afghanistan
        "BT": 630,  # Bhutan
        "MM": 635,  # Myanmar
        "LK": 640,  # Sri Lanka
        "IN": 645,  # India
        "MV": 655,  # Maldives
        "NP": 660,  # Nepal
        "PK": 665,  # Pakistan
        "BD": 666,  # Bangladesh
        "KH": 728,  # Cambodia
        "CN": 730,  # China
        "ID": 738,  # Indonesia
        "KP": 740,  # Democratic People's Republic of Korea
        "LA": 745,  # Lao People's Democratic Republic
        "MY": 751,  # Malaysia
        "MN": 753,  # Mongolia
        "PH": 755,  # Philippines
        "TH": 764,  # Thailand
        "TL": 765,  # Timor-Leste
        "VN": 769,  # Viet Nam
        "FJ": 832,  # Fiji
        "KI": 836,  # Kiribati
        "NR": 845,  # Nauru
        "VU": 854,  # Vanuatu
        "NU": 856,  # Niue
        "MH": 859,  # Marshall Islands
        "FM": 860,  # Micronesia
        "PG": 862,  # Papua New Guinea
        "SB": 866,  # Solomon Islands
        "TK": 868,  # Tokelau
        "TO": 870,  # Tonga
        "TV": 872,  # Tuvalu
        "WF": 876,  # Wallis and Futuna
        "WS": 880,  # Samoa
    },
}


def recipients_for(year):
    """The DAC list (ISO code -> CRS code) that applies to aid given in `year`: the list of its period, else
    the nearest one (the Atlas holds only the 2024-2025 list; an older or later year uses it until the OECD's
    next list is added here)."""
    for (first, last), recipients in DAC_LISTS.items():
        if first <= year <= last:
            return recipients
    nearest = min(DAC_LISTS, key=lambda period: min(abs(year - period[0]), abs(year - period[1])))
    return DAC_LISTS[nearest]


def crs_recipient_code(iso_code, year):
    """The CRS recipient code of a country for aid given in `year` (None when it is not an ODA recipient)."""
    return recipients_for(year).get(iso_code)


# CRS purpose codes grouped by DAC sector, in the CRS order: (sector code, sector, [(purpose code, purpose)]).
SECTORS = [
    (
        "111",
        _("Education, level unspecified"),
        [
            ("11110", _("Education policy and administrative management")),
            ("11120", _("Education facilities and training")),
        ],
    ),
    (
        "112",
        _("Basic education"),
        [
            ("11220", _("Primary education")),
            ("11231", _("Basic life skills for youth")),
            ("11240", _("Early childhood education")),
        ],
    ),
    ("113", _("Secondary education"), [("11330", _("Vocational training"))]),
    (
        "121",
        _("Health, general"),
        [
            ("12110", _("Health policy and administrative management")),
            ("12191", _("Medical services")),
        ],
    ),
    (
        "122",
        _("Basic health"),
        [
            ("12220", _("Basic health care")),
            ("12230", _("Basic health infrastructure")),
            ("12261", _("Health education")),
        ],
    ),
    (
        "140",
        _("Water supply and sanitation"),
        [
            ("14010", _("Water sector policy and administrative management")),
            ("14021", _("Water supply - large systems")),
            ("14022", _("Sanitation - large systems")),
            ("14031", _("Basic drinking water supply")),
            ("14032", _("Basic sanitation")),
            ("14050", _("Waste management/disposal")),
            ("14081", _("Education and training in water supply and sanitation")),
        ],
    ),
    (
        "151",
        _("Government and civil society, general"),
        [
            ("15110", _("Public sector policy and administrative management")),
            ("15111", _("Public finance management")),
            ("15112", _("Decentralisation and support to subnational government")),
            ("15150", _("Democratic participation and civil society")),
            ("15160", _("Human rights")),
            ("15170", _("Women's rights organisations and movements, and government institutions")),
            ("15185", _("Local government administration")),
        ],
    ),
    (
        "152",
        _("Conflict, peace and security"),
        [("15220", _("Civilian peace-building, conflict prevention and resolution"))],
    ),
    (
        "160",
        _("Other social infrastructure and services"),
        [
            ("16010", _("Social protection")),
            ("16020", _("Employment creation")),
            ("16030", _("Housing policy and administrative management")),
            ("16050", _("Multisector aid for basic social services")),
            ("16061", _("Culture and recreation")),
        ],
    ),
    ("210", _("Transport and storage"), [("21020", _("Road transport"))]),
    ("231", _("Energy policy"), [("23110", _("Energy policy and administrative management"))]),
    (
        "232",
        _("Energy generation, renewable sources"),
        [
            ("23210", _("Energy generation, renewable sources - multiple technologies")),
            ("23230", _("Solar energy for centralised grids")),
        ],
    ),
    ("250", _("Business and other services"), [("25030", _("Business development services"))]),
    (
        "311",
        _("Agriculture"),
        [
            ("31110", _("Agricultural policy and administrative management")),
            ("31120", _("Agricultural development")),
            ("31161", _("Food crop production")),
            ("31166", _("Agricultural extension")),
            ("31194", _("Agricultural co-operatives")),
        ],
    ),
    (
        "321",
        _("Industry"),
        [
            ("32130", _("Small and medium-sized enterprises (SME) development")),
            ("32140", _("Cottage industries and handicraft")),
        ],
    ),
    ("332", _("Tourism"), [("33210", _("Tourism policy and administrative management"))]),
    (
        "410",
        _("General environment protection"),
        [
            ("41010", _("Environmental policy and administrative management")),
            ("41020", _("Biosphere protection")),
            ("41030", _("Biodiversity")),
            ("41081", _("Environmental education/training")),
        ],
    ),
    (
        "430",
        _("Other multisector"),
        [
            ("43030", _("Urban development and management")),
            ("43040", _("Rural development")),
            ("43060", _("Disaster risk reduction")),
        ],
    ),
    (
        "720",
        _("Emergency response"),
        [
            ("72010", _("Material relief assistance and services")),
            ("72050", _("Relief co-ordination and support services")),
        ],
    ),
    (
        "730",
        _("Reconstruction relief and rehabilitation"),
        [("73010", _("Immediate post-emergency reconstruction and rehabilitation"))],
    ),
    ("740", _("Disaster prevention and preparedness"), [("74020", _("Multi-hazard response preparedness"))]),
    (
        "910",
        _("Administrative costs of donors"),
        [("91010", _("Administrative costs (non-sector allocable)"))],
    ),
    (
        "998",
        _("Unallocated / unspecified"),
        [
            ("99810", _("Sectors not specified")),
            ("99820", _("Promotion of development awareness (non-sector allocable)")),
        ],
    ),
]

#: Grouped choices for a form field or a model field: [(sector label, [(purpose code, "code – purpose")])].
PURPOSE_CHOICES = [
    (sector_label, [(code, f"{code} – {label}") for code, label in purposes])
    for _sector, sector_label, purposes in SECTORS
]


def purpose_choices():
    """A callable for the model field: its migration names it instead of copying the list."""
    return PURPOSE_CHOICES


PURPOSES = {code: label for _sector, _label, purposes in SECTORS for code, label in purposes}
SECTOR_OF_PURPOSE = {code: sector for sector, _label, purposes in SECTORS for code, _l in purposes}
SECTOR_NAMES = {sector: label for sector, label, _purposes in SECTORS}
#: The purpose a line gets when nobody chose one (the lines declared before the sectors were asked).
UNSPECIFIED_PURPOSE = "99810"

# How the aid reaches its recipient: channel key -> (label, CRS channel code). A line through a multilateral
# body takes the body's own channel code (MULTILATERAL_BODIES below) rather than this generic one.
DIRECT, NGO, MULTILATERAL = "direct", "ngo", "multilateral"
CHANNELS = {
    DIRECT: (_("directly by the authority"), "11002"),  # Local government (of the donor country)
    NGO: (_("through a French NGO or association"), "22000"),  # Donor country-based NGO
    MULTILATERAL: (_("through a multilateral body"), "47000"),  # Other multilateral institutions
}
CHANNEL_CHOICES = [(key, label) for key, (label, _code) in CHANNELS.items()]

# The multilateral bodies local authorities fund: CRS channel code -> name.
MULTILATERAL_BODIES = {
    "41108": _("International Fund for Agricultural Development (IFAD)"),
    "41114": _("United Nations Development Programme (UNDP)"),
    "41116": _("United Nations Environment Programme (UNEP)"),
    "41119": _("United Nations Population Fund (UNFPA)"),
    "41120": _("United Nations Human Settlements Programme (UN-Habitat)"),
    "41121": _("Office of the United Nations High Commissioner for Refugees (UNHCR)"),
    "41122": _("United Nations Children's Fund (UNICEF)"),
    "41130": _("United Nations Relief and Works Agency for Palestine Refugees (UNRWA)"),
    "41140": _("World Food Programme (WFP)"),
    "41146": _("UN Women"),
    "41301": _("Food and Agriculture Organization (FAO)"),
    "41304": _("UNESCO"),
    "41307": _("World Health Organization (WHO)"),
    "42001": _("European Commission - development share of budget"),
    "44002": _("International Development Association (World Bank)"),
    "46002": _("African Development Bank"),
    "47045": _("Global Fund to Fight AIDS, Tuberculosis and Malaria"),
    "47046": _("International Organisation of La Francophonie (OIF)"),
    "47066": _("International Organization for Migration (IOM)"),
    "47121": _("United Cities and Local Governments of Africa (UCLG Africa)"),
    "47122": _("Gavi, the Vaccine Alliance"),
    "47000": _("Other multilateral institution"),
}
MULTILATERAL_CHOICES = list(MULTILATERAL_BODIES.items())


def multilateral_choices():
    return MULTILATERAL_CHOICES


# CRS policy markers: model field -> (CRS marker code, label). Each is scored 0, 1 or 2.
MARKERS = {
    "marker_gender": ("1", _("gender equality")),
    "marker_environment": ("2", _("environment")),
    "marker_biodiversity": ("5", _("biodiversity")),
    "marker_climate_mitigation": ("6", _("climate change mitigation")),
    "marker_climate_adaptation": ("7", _("climate change adaptation")),
    "marker_desertification": ("8", _("desertification")),
    "marker_disaster_risk_reduction": ("10", _("disaster risk reduction")),
    "marker_disability": ("11", _("disability")),
}
NOT_TARGETED, SIGNIFICANT, PRINCIPAL = 0, 1, 2
MARKER_SCORES = [
    (NOT_TARGETED, _("0 – not targeted")),
    (SIGNIFICANT, _("1 – significant objective")),
    (PRINCIPAL, _("2 – principal objective")),
]
