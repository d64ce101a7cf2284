"""The map of France by département, drawn on the server as a tile-grid cartogram (no département geometry
is shipped with the portal: one square per département, placed where it roughly lies).

Each square carries its code and its share of authorities done, so the map reads without colour; the
colour classes repeat the share for a glance; the table of the dashboard holds the same figures.
"""

from django.utils.translation import gettext as _

from portal.core.territories import DEPARTEMENTS

# (column, row) of each département, from its prefecture's position (an optimal assignment of the
# prefectures to the cells of a 12 x 11 grid); the overseas départements in a row of their own.
TILES = {
    "76": (3, 0), "60": (4, 0), "80": (5, 0), "62": (6, 0), "59": (7, 0), "08": (8, 0), "50": (1, 1),
    "14": (2, 1), "27": (3, 1), "95": (4, 1), "92": (5, 1), "93": (6, 1), "02": (7, 1), "51": (8, 1),
    "57": (9, 1), "22": (1, 2), "61": (2, 2), "28": (3, 2), "78": (4, 2), "75": (5, 2), "94": (6, 2),
    "10": (7, 2), "55": (8, 2), "54": (9, 2), "67": (10, 2), "29": (0, 3), "35": (1, 3), "53": (2, 3),
    "72": (3, 3), "45": (4, 3), "91": (5, 3), "77": (6, 3), "89": (7, 3), "52": (8, 3), "88": (9, 3),
    "68": (10, 3), "56": (0, 4), "44": (1, 4), "49": (2, 4), "37": (3, 4), "41": (4, 4), "18": (5, 4),
    "58": (6, 4), "21": (7, 4), "25": (8, 4), "70": (9, 4), "90": (10, 4), "85": (1, 5), "79": (2, 5),
    "86": (3, 5), "36": (4, 5), "23": (5, 5), "03": (6, 5), "71": (7, 5), "01": (8, 5), "39": (9, 5),
    "74": (10, 5), "17": (2, 6), "16": (3, 6), "87": (4, 6), "19": (5, 6), "63": (6, 6), "42": (7, 6),
    "69": (8, 6), "38": (9, 6), "73": (10, 6), "33": (2, 7), "24": (3, 7), "46": (4, 7), "15": (5, 7),
    "48": (6, 7), "43": (7, 7), "26": (8, 7), "05": (9, 7), "40": (2, 8), "47": (3, 8), "82": (4, 8),
    "81": (5, 8), "12": (6, 8), "07": (7, 8), "84": (8, 8), "04": (9, 8), "06": (10, 8), "64": (2, 9),
    "65": (3, 9), "32": (4, 9), "31": (5, 9), "34": (6, 9), "30": (7, 9), "13": (8, 9), "83": (9, 9),
    "2B": (11, 9), "09": (4, 10), "11": (5, 10), "66": (6, 10), "2A": (10, 10),
    "971": (0, 11), "972": (1, 11), "973": (2, 11), "974": (3, 11), "976": (4, 11),
}  # fmt: skip

TILE, GAP = 46, 4
COLUMNS, ROWS = 12, 12

# Share of authorities done: (lowest percentage of the class, fill, text colour). Light to dark blue, the
# State's blue at the top; the text colour keeps a 4.5:1 contrast on each fill.
CLASSES = [
    (0, "#f5f5fe", "#161616"),
    (25, "#cacafb", "#161616"),
    (50, "#8585f6", "#161616"),
    (75, "#313178", "#ffffff"),
    (100, "#000091", "#ffffff"),
]
NO_DATA = ("#ffffff", "#666666")


def share_class(share):
    for index in range(len(CLASSES) - 1, -1, -1):
        if share is not None and share >= CLASSES[index][0]:
            return CLASSES[index]
    return CLASSES[0]


def tiles(rows, link=None):
    """What the template draws: one dict per département. `rows` is {code: Row} (progress.departement_rows);
    a département absent from it (outside the territory, or without authority) is drawn empty.
    `link(code)` gives the address a square leads to (None: no link)."""
    drawn = []
    for code, (column, row_index) in TILES.items():
        name = DEPARTEMENTS[code][0]
        row = rows.get(code)
        x, y = column * (TILE + GAP), row_index * (TILE + GAP)
        if row is None or not row.total:
            fill, text = NO_DATA
            label = _("%(name)s (%(code)s): no authority in your view") % {"name": name, "code": code}
            share = None
        else:
            share = row.share_done
            _low, fill, text = share_class(share)
            label = _(
                "%(name)s (%(code)s): done %(done)s of %(total)s (%(share)s%%), "
                "partly done %(partly)s, not started %(not_started)s"
            ) % {
                "name": name,
                "code": code,
                "done": row.done,
                "total": row.total,
                "share": share,
                "partly": row.partly,
                "not_started": row.not_started,
            }
        drawn.append(
            {
                "code": code,
                "x": x,
                "y": y,
                "cx": x + TILE // 2,
                "fill": fill,
                "text": text,
                "share": share,
                "label": label,
                "href": link(code) if link and share is not None else None,
            }
        )
    return drawn


def legend():
    classes = []
    for index, (low, fill, _text) in enumerate(CLASSES):
        if low == 100:
            label = _("100%")
        else:
            high = CLASSES[index + 1][0] - 1
            label = _("%(low)s to %(high)s%%") % {"low": low, "high": high}
        classes.append({"fill": fill, "label": label})
    return classes


def size():
    return COLUMNS * (TILE + GAP), ROWS * (TILE + GAP)
