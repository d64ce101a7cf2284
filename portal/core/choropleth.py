"""A world choropleth drawn on the server as SVG, over the portal's own basemap (the vendored Natural Earth
outlines of world-atlas, the file the web maps draw): it needs no JavaScript, no tile and no other host, so
it reads the same in a browser without scripts, in a screen reader and in a PDF. Imports no product.

- `world_paths()`: each country's outline as SVG path data in the Natural Earth projection, keyed by its
  ISO 3166 alpha-2 code; read and projected once per process (the file never changes while it runs).
- `quantile_classes(values)`: up to five classes of about as many countries each, whose ranges cover every
  value; `class_of(value, classes)` finds a value's class.
- `choropleth(areas, …)`: what templates/includes/choropleth.html draws, for areas {code, value, label, url};
  a country too small for the 1:110m outlines (Cabo Verde, Comoros, Mauritius…) is drawn as a disc at its
  point, so every country with data has its labelled shape.

Colour is never the only cue: each class has its hatching (none, sparse, dense, crossed, dense crossed), the
legend gives each class's range and number of countries, and each country's link is named with its figure and
class ("Sénégal : 412 projets, classe 5 sur 5"). The colours are presentation attributes of the SVG's own
patterns, never style attributes (the strict Content-Security-Policy refuses those).
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from django.conf import settings

WORLD_FILE = Path("vendor") / "world-atlas" / "countries-110m.json"
# The map's frame, in projected units: 1000 wide; from 84° N to 57° S (Antarctica has no partner, and the
# south's empty ocean would only push the map down); a band at the bottom for the label of the country in
# focus.
WIDTH = 1000
NORTH, SOUTH = 84.0, -57.0
LABEL_BAND = 44
# Outlines whose territory Natural Earth draws apart but the ISO list (and French diplomacy) counts within a
# country: they share that country's link and colour.
PART_OF = {"Somaliland": "SO", "N. Cyprus": "CY"}
# A country absent from the 1:110m outlines is drawn as a disc of this radius (projected units) at its point.
DISC_RADIUS = 5
# Coordinates are kept to this many decimals in the path data: whole units (a unit is about a pixel on a
# screen, and finer than the 1:110m outlines) halve the page's weight against tenths.
DECIMALS = 0

CLASS_COUNT = 5


# The projection ---------------------------------------------------------------------------------------------


def natural_earth(longitude, latitude):
    """The Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič, Hurni, 2011), as d3-geo computes it,
    in units of the sphere's radius: x east, y north."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


_HALF_WIDTH = natural_earth(180, 0)[0]
SCALE = WIDTH / (2 * _HALF_WIDTH)
_TOP = natural_earth(0, NORTH)[1]
MAP_HEIGHT = round((_TOP - natural_earth(0, SOUTH)[1]) * SCALE, 1)
HEIGHT = MAP_HEIGHT + LABEL_BAND


def project(longitude, latitude):
    """The point's (x, y) in the SVG's units: x from 0 (180° W) to WIDTH, y downwards from 84° N."""
    x, y = natural_earth(longitude, latitude)
    return (x + _HALF_WIDTH) * SCALE, (_TOP - y) * SCALE


# The outlines -----------------------------------------------------------------------------------------------


def world_file():
    """The vendored outlines (static/), or where `npm ci` put them (node_modules/) before collectstatic."""
    for path in (
        settings.BASE_DIR / "static" / WORLD_FILE,
        settings.BASE_DIR / "node_modules" / "world-atlas" / WORLD_FILE.name,
    ):
        if Path(path).exists():
            return Path(path)
    return None


def alpha_2(geometry):
    """The ISO 3166 alpha-2 code of a world-atlas geometry (its id is the ISO numeric code), or None."""
    name = (geometry.get("properties") or {}).get("name")
    if name in PART_OF:
        return PART_OF[name]
    numeric = geometry.get("id")
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_2 if country else None


def _number(value):
    """A coordinate as short as its precision allows: "12", "-3.5", never "-0"."""
    text = f"{value:.{DECIMALS}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _unwrapped(points):
    """A ring's (longitude, latitude) points made continuous across the antimeridian (Fiji, Chukotka): a
    jump of more than 180° is a crossing, the next points go on beyond ±180°; and the copy one world further
    when the ring reaches beyond, so that each side of the map draws its part (the frame clips the rest)."""
    unwrapped, shift = [points[0]], 0.0
    for (previous, _lat0), (longitude, latitude) in zip(points, points[1:], strict=False):
        if longitude - previous > 180:
            shift -= 360
        elif previous - longitude > 180:
            shift += 360
        unwrapped.append((longitude + shift, latitude))
    longitudes = [longitude for longitude, _lat in unwrapped]
    if min(longitudes) < -180:
        return [unwrapped, [(longitude + 360, latitude) for longitude, latitude in unwrapped]]
    if max(longitudes) > 180:
        return [unwrapped, [(longitude - 360, latitude) for longitude, latitude in unwrapped]]
    return [unwrapped]


def _ring_path(points):
    """An SVG subpath of (longitude, latitude) points, projected: absolute start, then relative moves
    (shorter), repeated points (closer than the kept precision) dropped."""
    step = 10**DECIMALS
    cells = []
    for longitude, latitude in points:
        x, y = project(longitude, latitude)
        cell = (round(x * step), round(y * step))
        if not cells or cell != cells[-1]:
            cells.append(cell)
    if len(cells) < 3:
        return ""
    x0, y0 = cells[0]
    moves = " ".join(
        f"{_number((bx - ax) / step)} {_number((by - ay) / step)}"
        for (ax, ay), (bx, by) in zip(cells, cells[1:], strict=False)
    )
    return f"M{_number(x0 / step)} {_number(y0 / step)}l{moves}z"


@lru_cache(maxsize=1)
def world_countries():
    """((alpha-2 code or None, rings), …) of the 1:110m outlines in degrees, read once per process: each
    ring a tuple of (longitude, latitude) points; a country's rings are those of all its polygons, holes
    included (drawn with the even-odd rule). The web maps read the same file (portal/core/maps.py), the
    PDF export's map too (atlas/exports/pdf.py)."""
    path = world_file()
    if path is None:
        return ()
    topology = json.loads(path.read_text())
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    # Quantised TopoJSON: each arc is a start position followed by deltas.
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return tuple(points)

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        countries.append((alpha_2(geometry), tuple(ring(rings) for polygon in polygons for rings in polygon)))
    return tuple(countries)


@lru_cache(maxsize=1)
def world_paths():
    """({alpha-2 code: SVG path data}, path data of the outlines matching no ISO code (Kosovo), drawn as
    land without data) of the 1:110m outlines, projected and rounded once per process; a code with several
    outlines (Somalia and Somaliland) gets them all."""
    paths, unknown = {}, []
    for code, rings in world_countries():
        data = "".join(_ring_path(copy) for points in rings for copy in _unwrapped(points))
        if code == "AQ" or not data:
            continue  # below the frame, or too small to keep a shape at this precision (drawn as a disc)
        if code is None:
            unknown.append(data)
        else:
            paths[code] = paths.get(code, "") + data
    return paths, "".join(unknown)


def disc_path(latitude, longitude, radius=DISC_RADIUS):
    """A disc at a point, as path data (two arcs), for a country the outlines do not draw."""
    x, y = project(longitude, latitude)
    return (
        f"M{_number(x - radius)} {_number(y)}"
        f"a{_number(radius)} {_number(radius)} 0 1 0 {_number(2 * radius)} 0"
        f"a{_number(radius)} {_number(radius)} 0 1 0 {_number(-2 * radius)} 0z"
    )


# The classes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Class:
    """A class of the legend: values from `low` to `high` (both included), `count` countries, its `number`
    (1 the lowest) among `total` classes, and the hatching `level` (1 to 5) that draws it."""

    number: int
    total: int
    low: int
    high: int
    count: int

    @property
    def level(self):
        # With fewer than five classes the highest still gets the darkest fill: levels spread over 1..5.
        if self.total == 1:
            return CLASS_COUNT
        return 1 + round((self.number - 1) * (CLASS_COUNT - 1) / (self.total - 1))

    @property
    def pattern_id(self):
        return f"choropleth-level-{self.level}"


def quantile_classes(values, count=CLASS_COUNT):
    """Up to `count` classes of the positive `values`, each holding about as many values (quantiles), the
    limits falling between distinct values only, so that the classes' ranges cover every value once: with
    fewer distinct values than `count`, one class per value."""
    values = sorted(value for value in values if value > 0)
    if not values:
        return []
    distinct = sorted(set(values))
    tally = dict.fromkeys(distinct, 0)
    for value in values:
        tally[value] += 1
    groups, start = [], 0
    remaining = len(values)
    total = min(count, len(distinct))
    for classes_left in range(total, 0, -1):
        if classes_left == 1:
            groups.append(distinct[start:])
            break
        target = remaining / classes_left
        taken, end = 0, start
        # Take distinct values until the class holds its share, leaving one distinct value per class to come.
        while end < len(distinct) - (classes_left - 1):
            taken += tally[distinct[end]]
            end += 1
            next_ = distinct[end] if end < len(distinct) else None
            if taken >= target or (next_ is not None and taken + tally[next_] - target > target - taken):
                break
        groups.append(distinct[start:end])
        remaining -= taken
        start = end
    return [
        Class(number, len(groups), group[0], group[-1], sum(tally[value] for value in group))
        for number, group in enumerate(groups, start=1)
    ]


def class_of(value, classes):
    """The class holding `value`, None for zero (or a value below every class)."""
    for item in classes:
        if item.low <= value <= item.high:
            return item
    return None


# The five levels: (fill, mark colour, mark: "dots", "lines" or "cross", spacing). The marks contrast with the
# fill (dark blue on the light levels, white on the dark ones) and grow denser with the values: sparse dots,
# sparse lines, dense lines, crossed lines, dense crossed lines.
LEVELS = {
    1: ("#dcdcfc", "#000091", "dots", 6),
    2: ("#b1b1f9", "#000091", "lines", 7),
    3: ("#7b7bf3", "#000091", "lines", 4),
    4: ("#3d3dd6", "#ffffff", "cross", 6),
    5: ("#000091", "#ffffff", "cross", 3.5),
}
SEA_FILL = "#f2f5f9"
# Land of a country the index does not list (no partner authority), and of a listed country whose figure is 0.
LAND_FILL, LAND_STROKE = "#e1e1e1", "#a0a0a0"
ZERO_FILL, ZERO_STROKE = "#ffffff", "#3a3a3a"


def patterns():
    """The <pattern> definitions of the five levels, as data for the template. Numbers travel as text: a
    template would localise them ("1,5" in French), which SVG cannot read."""
    return [
        {
            "id": f"choropleth-level-{level}",
            "level": level,
            "fill": fill,
            "mark": mark,
            "kind": kind,
            "size": _number_exact(spacing),
            "centre": _number_exact(spacing / 2),
            "width": "1.4" if kind == "cross" else "1.6",
        }
        for level, (fill, mark, kind, spacing) in LEVELS.items()
    ]


def _number_exact(value):
    return f"{value:g}"


def sea_path():
    """The outline of the world in the projection, between the frame's parallels: the sea behind the land."""
    east = [project(180, latitude) for latitude in range(int(NORTH), int(SOUTH) - 1, -3)]
    west = [project(-180, latitude) for latitude in range(int(SOUTH), int(NORTH) + 1, 3)]
    points = east + west
    return "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in points) + "Z"


# The map ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str
    value: int
    label: str
    url: str
    latitude: float | None = None
    longitude: float | None = None


def choropleth(areas, classes, title, description, label_prompt=""):
    """What templates/includes/choropleth.html draws: the world as background, then each area of `areas`
    (in their order, which is the keyboard's) with its class's hatching, link and label.

    `areas`: Area items (a country with value 0 is drawn and labelled, without hatching); `classes` from
    quantile_classes(); `title` and `description` name the map for assistive technologies; `label_prompt`
    is shown in the label band until a country is focused or hovered."""
    paths, unknown = world_paths()
    shown = {area.code for area in areas}
    drawn = []
    for area in areas:
        data = paths.get(area.code)
        if data is None:
            if area.latitude is None or area.longitude is None:
                continue
            data = disc_path(area.latitude, area.longitude)
        item = class_of(area.value, classes)
        drawn.append({"area": area, "d": data, "class": item, "disc": area.code not in paths})
    background = "".join(data for code, data in paths.items() if code not in shown) + unknown
    return {
        "title": title,
        "description": description,
        "label_prompt": label_prompt,
        "width": str(WIDTH),
        "height": _number(HEIGHT),
        "map_height": _number(MAP_HEIGHT),
        "label_y": _number(MAP_HEIGHT + LABEL_BAND * 0.62),
        "background": background,
        "areas": drawn,
        "patterns": patterns(),
        "sea": sea_path(),
        "colours": {
            "sea": SEA_FILL,
            "land": LAND_FILL,
            "land_stroke": LAND_STROKE,
            "zero": ZERO_FILL,
            "zero_stroke": ZERO_STROKE,
        },
    }
