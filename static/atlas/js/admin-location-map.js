// The admin's location maps (wagtailgeowidget's LeafletField) on the portal's own basemap: the world outlines
// the public maps use (atlas-map.js), served by the portal, with no tile server unless one is configured.
// A click on the map, or a drag of the marker, places the point and writes the location and lat/lng fields.
// Loaded after wagtailgeowidget's leaflet-field.js and before its Stimulus controller creates the fields.
(function () {
  "use strict";
  var Field = window.LeafletField;
  var L = window.L;
  if (!Field || !L) return;

  var OUTLINE_STYLE = { color: "#929292", weight: 0.6, fillColor: "#f6f6f6", fillOpacity: 1 };
  var basemaps = {};

  function loadBasemap(url) {
    if (!basemaps[url]) {
      basemaps[url] = fetch(url)
        .then(function (response) {
          if (!response.ok) throw new Error("basemap: " + response.status);
          return response.json();
        })
        .then(function (topology) {
          return window.topojson.feature(topology, topology.objects.countries);
        });
    }
    return basemaps[url];
  }

  function fieldOptions(field) {
    try {
      return JSON.parse(field.sourceField.attr("data-leaflet-field-options-value") || "{}");
    } catch {
      return {};
    }
  }

  // Five decimals (about a metre) and a longitude within -180..180 even after a click on a world copy.
  function tidy(latLng) {
    var point = L.latLng(latLng).wrap();
    var round = function (value) { return Math.round(value * 1e5) / 1e5; };
    return L.latLng(round(point.lat), round(point.lng));
  }

  Field.prototype.initMap = function (mapEl, defaultLocation) {
    var self = this;
    var options = fieldOptions(this);
    var map = L.map(mapEl[0], { worldCopyJump: true, minZoom: 1, maxZoom: 14 }).setView(defaultLocation, this.zoom);
    if (this.tileLayer) {
      L.tileLayer(this.tileLayer, Object.assign({ maxZoom: 19 }, this.tileLayerOptions)).addTo(map);
    } else {
      map.attributionControl.addAttribution("Natural Earth");
    }
    if (options.basemap && window.topojson) {
      loadBasemap(options.basemap).then(function (countries) {
        L.geoJSON(countries, { style: OUTLINE_STYLE, interactive: false }).addTo(map).bringToBack();
        mapEl.attr("data-basemap", "loaded");
      }).catch(function () {
        mapEl.attr("data-basemap", "failed");
      });
    }
    this.map = map;
    this.marker = L.marker(defaultLocation, { draggable: true, autoPan: true });
    map.on("click", function (event) {
      self.placeAt(event.latlng);
    });
  };

  var setup = Field.prototype.setup;
  Field.prototype.setup = function () {
    var wasSetUp = this.hasSetup;
    setup.call(this);
    if (wasSetUp) return;
    this.latLngField.attr("placeholder", "latitude, longitude");
    if (!this.getState()) {
      // No location yet: no marker and no coordinates, rather than a point in the middle of France that
      // looks chosen but is not saved.
      this.marker.remove();
      this.latLngField.val("");
    }
  };

  Field.prototype.setMapPosition = function (latLng) {
    if (!this.map.hasLayer(this.marker)) this.marker.addTo(this.map);
    this.marker.setLatLng(latLng);
    this.map.panTo(latLng);
  };

  // The widget calls this once its map shows (a second after the form opens, or when its tab is chosen) with
  // the typed coordinates: a point already shown by the marker (a click made meanwhile) stays where it is,
  // rather than the map moving under the pointer.
  Field.prototype.updateMapFromCoords = function (latLng) {
    if (!latLng) return;
    if (this.map.hasLayer(this.marker) && this.marker.getLatLng().equals(latLng)) return;
    this.setMapPosition(latLng);
  };

  // An empty or half-typed "latitude, longitude" is no point: wagtailgeowidget's parser reads `.lat` of the
  // null that L.latLng returns for it and throws (a second after an empty form opens, when the map shows).
  var parseStrToLatLng = Field.prototype.parseStrToLatLng;
  Field.prototype.parseStrToLatLng = function (value) {
    var parts = String(value || "").split(",");
    if (parts.length !== 2 || parts.some(function (part) { return part.trim() === ""; })) return null;
    return parseStrToLatLng.call(this, value);
  };

  // A click puts the point where the pointer is, without moving the map under it.
  Field.prototype.placeAt = function (latLng) {
    var point = tidy(latLng);
    if (!this.map.hasLayer(this.marker)) this.marker.addTo(this.map);
    this.marker.setLatLng(point);
    this.updateLatLng(point);
    this.writeLocation(point);
    this.clearFieldMessage({ field: this.latLngField });
  };

  var updateLatLng = Field.prototype.updateLatLng;
  Field.prototype.updateLatLng = function (latLng) {
    updateLatLng.call(this, tidy(latLng));
  };

  var writeLocation = Field.prototype.writeLocation;
  Field.prototype.writeLocation = function (latLng) {
    writeLocation.call(this, tidy(latLng));
    // The hidden input changed from a script: tell the editor (unsaved changes, autosave).
    this.sourceField[0].dispatchEvent(new Event("change", { bubbles: true }));
  };
})();
