// ESLint for the portal's own scripts (static/ and each app's static/, not the vendored libraries): `npx eslint .`.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/**", "staticfiles/**", "node_modules/**", ".venv/**", "tmp/**", "media/**"] },
  js.configs.recommended,
  {
    files: ["**/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // Leaflet (L), its plugins and topojson-client are classic scripts loaded before the portal's modules.
      globals: { ...globals.browser, L: "readonly", topojson: "readonly" },
    },
  },
  {
    // Loaded by wagtailgeowidget's admin as a classic script, not a module.
    files: ["static/atlas/js/admin-location-map.js"],
    languageOptions: { sourceType: "script" },
  },
];
