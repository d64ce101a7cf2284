// Atlas maps and the authority selector. Server data arrives as JSON in data attributes (data-map) or
// from a JSON endpoint named there; Leaflet, markercluster and topojson-client are classic scripts
// loaded before this module (deferred), so their globals exist when modules run.

// Colours come from the server (portal/map_legend.py, in the map configuration), the one legend the
// captions and the PDF also use; only sizes are decided here.
const SIZES = {
  authority: { radius: 5, weight: 1, fillOpacity: 0.85 },
  partner: { radius: 5, weight: 1, fillOpacity: 0.85 },
  place: { radius: 7, weight: 1.5, fillOpacity: 0.9 },
};

function markerStyle(legend, kind) {
  const colours = legend.markers[kind];
  return { ...SIZES[kind], color: colours.stroke, fillColor: colours.fill };
}

function tieStyle(legend, external) {
  const tie = legend.ties[external ? "external_action" : "cooperation"];
  return { color: tie.stroke, weight: 1.2, opacity: 0.6, dashArray: tie.dash || null, interactive: false };
}
const VIEWS = {
  world: [[-50, -150], [70, 160]],
  france: [[41.3, -5.2], [51.1, 9.6]],
};
const basemaps = new Map();
// A view fitted to markers never zooms in further than this (one authority, one town).
const FIT_MAX_ZOOM = 7;

// The view a map opens on: the bounds of its data when the server gave them (a search's results, an embedded
// map's cooperations: right from the first paint, before the data arrives), else a named view.
function openView(map, config) {
  if (config.bounds) {
    map.fitBounds(window.L.latLngBounds(config.bounds).pad(0.3), { maxZoom: FIT_MAX_ZOOM });
  } else {
    map.fitBounds(VIEWS[config.view] || VIEWS.world);
  }
}

// Where the map looks, "west,south,east,north", kept on the element after every move: what the map shows
// is readable as a state (tests wait for it) rather than guessed from pixels.
function noteView(element, map) {
  element.dataset.view = map.getBounds().toBBoxString();
}

// Rings that cross the antimeridian (Russia, Fiji…) jump from +180 to -180 and Leaflet would draw a band
// across the whole map: keep each ring continuous by shifting the points after a jump by 360 degrees.
function unwrapRing(ring) {
  let shift = 0;
  return ring.map(([lng, lat], i) => {
    if (i > 0) {
      const previous = ring[i - 1][0];
      if (lng - previous > 180) shift -= 360;
      else if (previous - lng > 180) shift += 360;
    }
    return [lng + shift, lat];
  });
}

function unwrapGeometry(geometry) {
  if (geometry.type === "Polygon") {
    geometry.coordinates = geometry.coordinates.map(unwrapRing);
  } else if (geometry.type === "MultiPolygon") {
    geometry.coordinates = geometry.coordinates.map((polygon) => polygon.map(unwrapRing));
  }
}

function loadBasemap(url) {
  if (!basemaps.has(url)) {
    basemaps.set(url, fetch(url).then((response) => response.json()).then((topology) => {
      const countries = window.topojson.feature(topology, topology.objects.countries);
      // Antarctica is not a partner of anyone and its outline only distorts a world map.
      countries.features = countries.features.filter((feature) => feature.id !== "010");
      countries.features.forEach((feature) => feature.geometry && unwrapGeometry(feature.geometry));
      return countries;
    }));
  }
  return basemaps.get(url);
}

// The world at 1:110m (about 100 kB) for the world and continent views; the 1:50m outlines (750 kB) only
// once the map is zoomed in far enough for the coarse coasts to show (portal/core/maps.py says from which
// zoom). Resolves when the world's outlines are drawn; data-basemap says which ones the map shows.
function addBasemap(element, map, config) {
  const L = window.L;
  const style = { color: "#929292", weight: 0.6, fillColor: "#f6f6f6", fillOpacity: 1 };
  // One canvas for the outlines rather than an SVG path per country: they are not interactive, and two
  // hundred nodes added to the page cost the DSFR's script (which watches the page's changes) a long task.
  // Its own pane, under the markers' (overlayPane, 400) and above a tile server's (200).
  if (!map.getPane("basemap")) map.createPane("basemap").style.zIndex = "350";
  const renderer = L.canvas({ pane: "basemap", padding: 0.5 });
  let layer = null;
  let detailAsked = false;
  let detailDrawn = false;
  const draw = (countries, resolution) => {
    const next = L.geoJSON(countries, { style, renderer, pane: "basemap", interactive: false }).addTo(map);
    if (layer) map.removeLayer(layer);
    layer = next;
    element.dataset.basemap = resolution;
  };
  // Nor before the map is on screen: a map further down the page, zoomed on a place, would otherwise fetch
  // and draw the detailed outlines while the page loads, for nobody.
  let onScreen = false;
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    onScreen = true;
    observer.disconnect();
    detail();
  });
  const detail = () => {
    if (detailAsked || !onScreen || !config.basemap_detail || map.getZoom() < config.basemap_detail_zoom) return null;
    detailAsked = true;
    map.off("zoomend", detail);
    return loadBasemap(config.basemap_detail).then((countries) => {
      detailDrawn = true;
      draw(countries, "detailed");
    });
  };
  map.on("zoomend", detail);
  observer.observe(element);
  return loadBasemap(config.basemap).then((countries) => {
    if (!detailDrawn) draw(countries, "world");
  });
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

// A place's popup (responsible-tourism experiences, events): its title, a link when it has a page, and a
// subtitle. Built as elements, so that no text and no address is ever read as markup; only site paths and
// http(s) addresses become links.
function placePopup(title, url, subtitle) {
  const popup = document.createElement("div");
  const link = typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/i.test(url);
  const name = document.createElement(link ? "a" : "strong");
  name.textContent = title;
  if (link) name.setAttribute("href", url);
  popup.appendChild(name);
  if (subtitle) {
    const small = document.createElement("small");
    small.textContent = subtitle;
    popup.append(document.createElement("br"), small);
  }
  return popup;
}

async function mapData(config) {
  if (config.points) return config.points;
  const response = await fetch(config.data, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`map data: ${response.status}`);
  return response.json();
}

// Markers of authorities, partners and places, with the ties when the map shows them; returns their number.
function addMarkers(element, config, map, data, group, links) {
  const L = window.L;
  const byAuthority = new Map();
  const byPartner = new Map();
  const authorities = data.authorities || [];
  const partners = data.partners || [];
  const places = data.places || [];
  for (const [id, lat, lng, name, slug] of authorities) {
    byAuthority.set(id, [lat, lng]);
    const marker = L.circleMarker([lat, lng], markerStyle(config.legend, "authority"));
    marker.bindPopup(`<a href="${escapeHtml(links.authority(slug))}">${escapeHtml(name)}</a><br><small>${escapeHtml(element.dataset.labelAuthority)}</small>`);
    group.addLayer(marker);
  }
  for (const [id, lat, lng, name] of partners) {
    byPartner.set(id, [lat, lng]);
    const marker = L.circleMarker([lat, lng], markerStyle(config.legend, "partner"));
    marker.bindPopup(`<a href="${escapeHtml(links.partner(id))}">${escapeHtml(name)}</a><br><small>${escapeHtml(element.dataset.labelPartner)}</small>`);
    group.addLayer(marker);
  }
  for (const [lat, lng, title, url, subtitle] of places) {
    const marker = L.circleMarker([lat, lng], markerStyle(config.legend, "place"));
    marker.bindPopup(placePopup(title, url, subtitle));
    group.addLayer(marker);
  }
  if (config.ties) {
    for (const [authorityId, partnerId, external] of data.ties || []) {
      const from = byAuthority.get(authorityId);
      const to = byPartner.get(partnerId);
      if (from && to) {
        L.polyline([from, to], tieStyle(config.legend, external)).addTo(map);
      }
    }
  }
  return authorities.length + partners.length + places.length;
}

// The map data's address for the map's current view (atlas/queries.py MapView): the server answers with
// the view's markers when they are few enough, else with its clusters at this zoom.
function viewUrl(base, map) {
  const bounds = map.getBounds();
  let west = bounds.getWest();
  let east = bounds.getEast();
  if (east - west >= 360) {
    west = -180;
    east = 180;
  }
  const south = Math.max(-90, bounds.getSouth());
  const north = Math.min(90, bounds.getNorth());
  const url = new URL(base, window.location.href);
  url.searchParams.set("bbox", [west, south, east, north].map((value) => value.toFixed(4)).join(","));
  url.searchParams.set("zoom", String(Math.round(map.getZoom())));
  return url.pathname + url.search;
}

// Beyond a few thousand markers (ten times the 2012 Atlas) the server sends clusters of a grid rather than
// every marker: each is a bubble with its count that zooms in when chosen, and every move of the map asks
// for its view again, markers coming once they are few enough.
async function drawServerClusters(element, map, config, data, group, links) {
  const L = window.L;
  const bubbles = L.layerGroup().addTo(map);
  let controller = null;
  const show = (answer) => {
    bubbles.clearLayers();
    group.clearLayers();
    let count = 0;
    if (answer.clusters) {
      for (const [lat, lng, authorities, partners] of answer.clusters) {
        const n = authorities + partners;
        count += n;
        const size = n < 100 ? "small" : n < 1000 ? "medium" : "large";
        // "French authority (12), Partner authority (30)": the kinds it holds, without plural forms.
        const label = [[element.dataset.labelAuthority, authorities], [element.dataset.labelPartner, partners]]
          .filter(([, number]) => number > 0)
          .map(([kind, number]) => `${kind} (${number.toLocaleString()})`)
          .join(", ");
        const bubble = L.marker([lat, lng], {
          icon: L.divIcon({
            className: `marker-cluster marker-cluster-${size} atlas-server-cluster`,
            html: `<div><span>${n.toLocaleString()}</span></div>`,
            iconSize: L.point(40, 40),
          }),
          title: label,
          alt: label,
          keyboard: true,
        });
        // Chosen, a cluster zooms in on where its markers are: so that its cell fills the map (the grid's
        // cells start at 0° by steps of `cell`), and by two levels at least on a small map.
        const cell = answer.cell;
        const south = Math.floor(lat / cell) * cell;
        const west = Math.floor(lng / cell) * cell;
        bubble.on("click", () => {
          const fit = map.getBoundsZoom([[south, west], [south + cell, west + cell]]);
          map.setView([lat, lng], Math.min(map.getMaxZoom(), Math.max(fit, map.getZoom() + 2)));
        });
        bubbles.addLayer(bubble);
      }
    } else {
      count = addMarkers(element, config, map, answer, group, links);
    }
    element.dataset.markers = String(count);
  };
  const refresh = async () => {
    if (controller) controller.abort();
    controller = new AbortController();
    element.dataset.loading = "true";
    try {
      const response = await fetch(viewUrl(config.data, map), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`map data: ${response.status}`);
      show(await response.json());
      delete element.dataset.loading;
    } catch (error) {
      if (error.name !== "AbortError") {
        element.dataset.error = String(error);
        delete element.dataset.loading;
      }
    }
  };
  show(data);
  if (config.view === "fit" && !config.bounds && data.clusters.length) {
    const bounds = L.latLngBounds(data.clusters.map(([lat, lng]) => [lat, lng]));
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: FIT_MAX_ZOOM });
  }
  map.on("moveend", refresh);
  // The first answer was made for the world's zoom: a map at another one asks for its own view.
  if (Math.round(map.getZoom()) !== data.zoom) await refresh();
}

async function drawMap(element) {
  const config = JSON.parse(element.dataset.map);
  const L = window.L;
  // The map box stays hidden without JavaScript (its figure then says so and points to the lists).
  element.hidden = false;
  // SVG markers stay in the DOM (clickable, testable); a canvas only for maps with thousands of ties.
  const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 12, preferCanvas: Boolean(config.ties && config.view === "world"), attributionControl: true });
  map.on("moveend", () => noteView(element, map));
  openView(map, config);
  noteView(element, map);
  if (config.tiles && config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution || "" }).addTo(map);
  } else {
    map.attributionControl.addAttribution("Natural Earth");
  }
  const outlines = addBasemap(element, map, config);
  const data = await mapData(config);
  // Link templates from atlas/urls_helper.py: "{}" stands for the marker's slug or id.
  const links = {
    authority: (slug) => element.dataset.urlAuthority.replace("{}", encodeURIComponent(slug)),
    partner: (id) => element.dataset.urlPartner.replace("{}", encodeURIComponent(id)),
  };
  const group = config.cluster && L.markerClusterGroup
    ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45 })
    : L.featureGroup();
  if (data.clusters) {
    group.addTo(map);
    await drawServerClusters(element, map, config, data, group, links);
  } else {
    const count = addMarkers(element, config, map, data, group, links);
    group.addTo(map);
    element.dataset.markers = String(count);
    if (config.view === "fit" && !config.bounds && count) {
      const bounds = group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: FIT_MAX_ZOOM });
    }
  }
  await outlines;
  element.dataset.ready = "true";
}

// An ARIA 1.2 combobox over the authority search form; without JavaScript the form submits as is.
function enhanceSelector(form) {
  const input = form.querySelector("input[name=q]");
  const list = form.querySelector("[role=listbox]");
  const status = form.querySelector("[role=status]");
  let results = [];
  let active = -1;
  let timer = null;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function highlight(index) {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) input.setAttribute("aria-activedescendant", option.id);
    });
  }
  function render() {
    list.innerHTML = "";
    results.forEach((result, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = `${result.name} (${result.kind})`;
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        window.location.href = result.url;
      });
      list.appendChild(option);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(results.length > 0));
    status.textContent = results.length ? `${results.length} suggestion(s)` : "";
  }
  async function suggest() {
    const query = input.value.trim();
    if (query.length < 2) { results = []; render(); return; }
    const url = `${form.dataset.suggestUrl}&q=${encodeURIComponent(query)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    results = (await response.json()).results;
    active = -1;
    render();
  }
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 150); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault(); list.hidden = false; highlight((active + 1) % results.length);
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault(); highlight((active - 1 + results.length) % results.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault(); window.location.href = results[active].url;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

function start() {
  document.querySelectorAll(".atlas-selector[data-suggest-url]").forEach(enhanceSelector);
  if (!window.L) return;
  document.querySelectorAll(".atlas-map[data-map]").forEach((element) => {
    const fallback = element.parentElement.querySelector("[data-map-fallback]");
    if (fallback) fallback.hidden = true;
    drawMap(element).catch((error) => {
      element.dataset.error = String(error);
      // The map could not be drawn: say so again, with the way to the same information.
      if (fallback) fallback.hidden = false;
      console.error(error);
    });
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
