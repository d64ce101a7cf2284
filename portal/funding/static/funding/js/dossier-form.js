// The dossier form in the admin: the budget totals as one types, and a copy of what is typed kept in the
// browser until the server has it. Progressive enhancement: without this script the totals show as last
// saved, and the server computes them again (and checks the call's rules) before filing.
(function () {
  "use strict";

  const LINE = /^budget_lines-(\d+)-(amount|category|DELETE)$/;

  function number(text) {
    const value = parseFloat(String(text || "").replace(/\s/g, "").replace(",", "."));
    return Number.isFinite(value) && value > 0 ? value : 0;
  }

  function budgetTotals(form, expenseCategories) {
    const lines = {};
    for (const element of form.elements) {
      const match = LINE.exec(element.name || "");
      if (!match) continue;
      const line = (lines[match[1]] = lines[match[1]] || {});
      if (match[2] === "DELETE") {
        line.deleted = element.type === "checkbox" ? element.checked : element.value === "1" || element.value === "on";
      } else {
        line[match[2]] = element.value;
      }
    }
    const totals = { expenses: 0, resources: 0, requested: 0, own_funds: 0, in_kind: 0, other_funder: 0 };
    for (const line of Object.values(lines)) {
      if (line.deleted || !line.category) continue;
      const amount = number(line.amount);
      if (expenseCategories.has(line.category)) {
        totals.expenses += amount;
      } else {
        totals.resources += amount;
        if (line.category in totals) totals[line.category] += amount;
      }
    }
    totals.own = totals.own_funds + totals.in_kind;
    return totals;
  }

  function setUpTotals(box) {
    const form = box.closest("form");
    if (!form) return;
    const language = document.documentElement.lang || "fr";
    const euros = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const percent = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const expenseCategories = new Set((box.dataset.expenseCategories || "").split(" ").filter(Boolean));
    const limits = {
      maxRequested: parseFloat(box.dataset.maxRequested),
      minOwn: parseFloat(box.dataset.minOwn),
      maxInKind: parseFloat(box.dataset.maxInKind),
    };
    const status = box.querySelector("[data-budget-status]");

    function show(name, value) {
      const output = box.querySelector(`[data-total="${name}"]`);
      if (output) output.textContent = `${euros.format(value)} €`;
    }

    function share(name, value, budget) {
      const output = box.querySelector(`[data-share="${name}"]`);
      if (output) output.textContent = budget ? `(${percent.format((value * 100) / budget)} %)` : "";
    }

    function update() {
      const totals = budgetTotals(form, expenseCategories);
      for (const name of ["expenses", "resources", "requested", "own", "in_kind"]) show(name, totals[name]);
      share("requested", totals.requested, totals.expenses);
      share("own", totals.own, totals.expenses);
      const problems = [];
      if (totals.expenses && Math.abs(totals.expenses - totals.resources) >= 0.005) {
        problems.push(box.dataset.msgUnbalanced);
      }
      if (totals.expenses && (totals.requested * 100) / totals.expenses > limits.maxRequested + 1e-9) {
        problems.push(box.dataset.msgRequested);
      }
      if (totals.expenses && (totals.own * 100) / totals.expenses < limits.minOwn - 1e-9) {
        problems.push(box.dataset.msgOwn);
      }
      if (totals.in_kind && (totals.in_kind * 100) / (totals.own || 1) > limits.maxInKind + 1e-9) {
        problems.push(box.dataset.msgInKind);
      }
      if (status) {
        status.textContent = problems.length ? problems.join(" ") : totals.expenses ? box.dataset.msgOk : "";
        status.classList.toggle("funding-budget-status--problem", problems.length > 0);
      }
    }

    let scheduled = false;
    function schedule() {
      if (scheduled) return;
      scheduled = true;
      window.requestAnimationFrame(() => {
        scheduled = false;
        update();
      });
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    // Lines added or deleted by the inline panel change no input event: watch the form instead.
    new MutationObserver(schedule).observe(form, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["value", "class", "hidden"],
    });
    form.addEventListener("click", () => window.setTimeout(schedule, 0));
    update();
  }

  // What is typed is kept in the browser until the server has saved something newer: an expired session or
  // a lost connection makes the autosave fail, and the text typed meanwhile comes back on the next visit.
  function setUpKeeper(box) {
    const form = box.closest("form");
    if (!form || !window.localStorage) return;
    const key = `funding-dossier:${window.location.pathname}`;
    const savedOnServer = parseInt(box.dataset.updatedAt || "0", 10) * 1000;
    const kept = (() => {
      try {
        return JSON.parse(window.localStorage.getItem(key) || "null");
      } catch {
        return null;
      }
    })();

    function fields() {
      const values = {};
      for (const element of form.elements) {
        if (!element.name || element.type === "file" || element.type === "hidden" || element.type === "password") continue;
        if (element.type === "checkbox" || element.type === "radio") {
          values[`${element.name}=${element.value}`] = element.checked;
        } else if (element.tagName === "SELECT" || element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
          values[element.name] = element.value;
        }
      }
      return values;
    }

    if (kept && kept.at > savedOnServer && kept.values) {
      let restored = 0;
      for (const element of form.elements) {
        if (!element.name || element.type === "file" || element.type === "hidden") continue;
        if (element.type === "checkbox" || element.type === "radio") {
          const value = kept.values[`${element.name}=${element.value}`];
          if (typeof value === "boolean" && value !== element.checked) {
            element.checked = value;
            restored += 1;
          }
        } else if (element.name in kept.values && kept.values[element.name] !== element.value) {
          element.value = kept.values[element.name];
          element.dispatchEvent(new Event("input", { bubbles: true }));
          restored += 1;
        }
      }
      const notice = box.parentElement && box.parentElement.querySelector("[data-restored-notice]");
      if (restored && notice) {
        form.prepend(notice);
        notice.hidden = false;
      }
    } else if (kept) {
      window.localStorage.removeItem(key);
    }

    form.addEventListener("input", () => {
      try {
        window.localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: fields() }));
      } catch {
        // A full or forbidden storage: the autosave still runs.
      }
    });
  }

  function init() {
    for (const box of document.querySelectorAll("[data-budget-totals]")) {
      setUpTotals(box);
      setUpKeeper(box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
