// The contribution form of responsible-tourism experiences, enhanced: a map to pick the place (it fills the
// latitude and longitude fields) and the lists of authorities and projects refreshed when the country
// changes (a click on the form's own "Update the lists" button). Without this script the form works the
// same way: the fields are typed and the button clicked by hand.
// Leaflet and topojson-client are classic scripts loaded (deferred) before this module.

const MARKER_STYLE = { radius: 8, color: "#000091", weight: 2, fillColor: "#6a6af4", fillOpacity: 0.9 };

function readNumber(input) {
  const value = Number.parseFloat((input.value || "").replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

function round(value) {
  return Math.round(value * 1e6) / 1e6;
}

async function drawBasemap(L, map, url) {
  if (!url || !window.topojson) return;
  try {
    const response = await fetch(url);
    if (!response.ok) return;
    const topology = await response.json();
    const countries = window.topojson.feature(topology, topology.objects.countries);
    countries.features = countries.features.filter((feature) => feature.id !== "010");
    L.geoJSON(countries, {
      style: { color: "#929292", weight: 0.6, fillColor: "#f6f6f6", fillOpacity: 1 },
      interactive: false,
    }).addTo(map).bringToBack();
  } catch {
    // The map stays usable without its outlines.
  }
}

function setUpPicker(form) {
  const L = window.L;
  const element = form.querySelector("[data-contribute-map]");
  const latitude = form.querySelector("input[name='latitude']");
  const longitude = form.querySelector("input[name='longitude']");
  if (!L || !element || !latitude || !longitude) return;
  let config;
  try {
    config = JSON.parse(element.dataset.contributeMap || "{}");
  } catch {
    return;
  }
  element.hidden = false;
  const hint = form.querySelector("[data-contribute-map-hint]");
  if (hint) hint.hidden = false;
  element.setAttribute("role", "region");
  element.setAttribute("aria-label", element.dataset.label || "");

  const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 14 });
  if (config.tiles && config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution || "" }).addTo(map);
  } else {
    map.attributionControl.addAttribution("Natural Earth");
  }
  drawBasemap(L, map, config.basemap);

  let marker = null;
  const place = (lat, lng) => {
    if (marker) marker.setLatLng([lat, lng]);
    else marker = L.circleMarker([lat, lng], MARKER_STYLE).addTo(map);
  };
  const lat = readNumber(latitude);
  const lng = readNumber(longitude);
  if (lat !== null && lng !== null) {
    place(lat, lng);
    map.setView([lat, lng], 6);
  } else if (Array.isArray(config.centre)) {
    map.setView(config.centre, 5);
  } else {
    map.fitBounds([[-50, -150], [70, 160]]);
  }

  map.on("click", (event) => {
    const point = event.latlng.wrap();
    latitude.value = String(round(point.lat));
    longitude.value = String(round(point.lng));
    place(point.lat, point.lng);
    latitude.dispatchEvent(new Event("change", { bubbles: true }));
  });
  const follow = () => {
    const typedLat = readNumber(latitude);
    const typedLng = readNumber(longitude);
    if (typedLat !== null && typedLng !== null && Math.abs(typedLat) <= 90 && Math.abs(typedLng) <= 180) {
      place(typedLat, typedLng);
    }
  };
  latitude.addEventListener("input", follow);
  longitude.addEventListener("input", follow);
}

function setUpRefresh(form) {
  const country = form.querySelector("select[name='country']");
  const refresh = form.querySelector("[data-contribute-refresh]");
  if (!country || !refresh) return;
  country.addEventListener("change", () => {
    // Files chosen in the form would have to be chosen again after the refresh: keep the page as it is.
    const filesChosen = Array.from(form.querySelectorAll("input[type='file']")).some((input) => input.files.length);
    if (!filesChosen) refresh.click();
  });
}

for (const form of document.querySelectorAll("[data-contribute-form]")) {
  setUpPicker(form);
  setUpRefresh(form);
}
