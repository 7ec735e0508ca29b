// The procedure form: "Add a step" appends an empty row (a copy of the last one, numbered next),
// up to the form's limit. Without this script the form still works: saving gives more empty rows.

const table = document.querySelector("[data-testid=step-rows]");
const button = document.querySelector("[data-add-step]");

function renumber(row, n) {
  // Every field of a row is named step_<i>_<part>; its labels point at id_step_<i>_<part>.
  for (const el of row.querySelectorAll("[name], [id], [for], [data-testid]")) {
    for (const attr of ["name", "id", "for", "data-testid"]) {
      const value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replace(/step_\d+_/, `step_${n - 1}_`));
    }
  }
  row.querySelector("td").textContent = String(n);
}

if (table && button) {
  const max = Number(button.dataset.max || 30);
  button.hidden = false;
  button.addEventListener("click", () => {
    const rows = table.tBodies[0].rows;
    if (rows.length >= max) return;
    const row = rows[rows.length - 1].cloneNode(true);
    row.querySelectorAll(".field-error").forEach((e) => e.remove());
    row.querySelectorAll("input").forEach((input) => {
      input.value = "";
      input.removeAttribute("aria-invalid");
    });
    row.querySelectorAll("select").forEach((select) => {
      select.selectedIndex = 0;
    });
    renumber(row, rows.length + 1);
    table.tBodies[0].append(row);
    row.querySelector("input").focus();
    if (rows.length >= max) button.hidden = true;
  });
}
