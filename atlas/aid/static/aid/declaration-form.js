// "Add a line" for the e-APD declaration form: a copy of the formset's empty line, numbered after the last
// one. Without JavaScript the form always ends with blank lines, and saving a draft gives new ones.
(function () {
  "use strict";

  function setUp(form) {
    var button = form.querySelector("[data-aid-add-line]");
    var template = form.querySelector("template[data-aid-empty-line]");
    var lines = form.querySelector("[data-aid-lines]");
    var total = form.querySelector("input[name='lines-TOTAL_FORMS']");
    var max = form.querySelector("input[name='lines-MAX_NUM_FORMS']");
    if (!button || !template || !lines || !total) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      if (max && index >= parseInt(max.value, 10)) {
        button.disabled = true;
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var line = holder.firstElementChild;
      lines.appendChild(line);
      total.value = String(index + 1);
      var first = line.querySelector("select, input:not([type=hidden])");
      if (first) {
        first.focus();
      }
    });
  }

  function start() {
    var form = document.getElementById("w-editor-form");
    if (form) {
      setUp(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
