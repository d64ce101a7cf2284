// The "Copy" buttons of read-only code fields (the embeddable map's snippet). Without JavaScript the button
// stays hidden and the field is selected and copied by hand; with it, one press copies the code and says so.

function enhance(button) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
  if (!field) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = button.dataset.copied;
    } catch {
      // No clipboard here (a page not served over HTTPS, a permission refused): the code is selected.
      status.textContent = button.dataset.selected;
    }
  });
}

document.querySelectorAll("button[data-copy]").forEach(enhance);
