// The country index without reloading the page: the form's choices (measure, theme, order) and the table's
// sort links fetch the same page for the new address and put its map, legend and table in place of the old
// ones. Without this script the form and the links work as they are (GET requests), so nothing here is needed
// to read the page. The server's HTML is inserted as parsed nodes: no inline code, nothing the CSP refuses.

const form = document.querySelector("[data-country-index-form] form");
const status = document.querySelector("[data-country-index-status]");

function results() {
  return document.querySelector("[data-country-index-results]");
}

async function show(url, { push = true, focusSelector = null } = {}) {
  const current = results();
  current.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    const html = await response.text();
    const next = new DOMParser().parseFromString(html, "text/html");
    const fresh = next.querySelector("[data-country-index-results]");
    if (!fresh) {
      window.location.assign(url);
      return;
    }
    current.replaceWith(document.importNode(fresh, true));
    // The form keeps the visitor's focus and shows what the server understood (an order it reset).
    for (const select of next.querySelectorAll("[data-country-index-form] select")) {
      const mine = form.querySelector(`select[name="${select.name}"]`);
      if (mine && select.value && mine.value !== select.value) {
        mine.value = select.value;
      }
    }
    if (push) {
      window.history.pushState({ countryIndex: true }, "", url);
    }
    const caption = next.querySelector("#choropleth-title");
    if (status && caption) {
      status.textContent = caption.textContent;
    }
    if (focusSelector) {
      document.querySelector(focusSelector)?.focus();
    }
  } catch {
    window.location.assign(url);
  } finally {
    results()?.removeAttribute("aria-busy");
  }
}

function addressOf(formElement) {
  const params = new URLSearchParams(new FormData(formElement));
  if (params.get("mesure") !== "theme") {
    params.delete("theme");
  }
  return `${formElement.getAttribute("action") || window.location.pathname}?${params}`;
}

function bind(formElement) {
  formElement.addEventListener("submit", (event) => {
    event.preventDefault();
    show(addressOf(formElement));
  });
  formElement.addEventListener("change", (event) => {
    // Choosing a theme means showing its projects.
    if (event.target.name === "theme") {
      const measure = formElement.querySelector("[name=mesure]");
      if (measure) {
        measure.value = "theme";
      }
    }
    show(addressOf(formElement));
  });
}

// A country's outline is partly under its neighbours, drawn after it: the focused or pointed one is drawn
// again on top (the label band under the map needs no script).
function outline(event) {
  const area = event.target.closest?.(".choropleth__area");
  const overlay = event.target.closest?.(".choropleth")?.querySelector(".choropleth__focus");
  if (!area || !overlay) {
    return;
  }
  const leaving = event.type === "focusout" || event.type === "mouseout";
  overlay.setAttribute("d", leaving ? "M0 0" : area.querySelector("path").getAttribute("d"));
}
for (const type of ["focusin", "focusout", "mouseover", "mouseout"]) {
  document.addEventListener(type, outline);
}

if (form && results()) {
  bind(form);
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.country-index__sort");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    event.preventDefault();
    const column = [...link.closest("tr").children].indexOf(link.closest("th"));
    show(link.href, { focusSelector: `#country-table thead th:nth-child(${column + 1}) a` });
  });
  window.addEventListener("popstate", () => show(window.location.href, { push: false }));
}
