// The page machinery's behaviour: pickers (choose from search results or the tree), nothing else.
// An ES module served as a static file: the content security policy forbids inline scripts.

function pick(button) {
  const picker = button.closest("[data-picker]");
  const chosen = picker.querySelector(".picker-chosen");
  const value = button.dataset.pickValue;
  if (picker.dataset.multiple !== "1") chosen.replaceChildren();
  else if ([...chosen.querySelectorAll("input")].some((i) => i.value === value)) return;
  const chip = document.createElement("span");
  chip.className = "chip picked";
  chip.append(`${button.dataset.pickLabel} `);
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "unpick";
  remove.dataset.unpick = "";
  remove.setAttribute("aria-label", picker.dataset.removeLabel || "×");
  remove.textContent = "×";
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = picker.dataset.name;
  input.value = value;
  chip.append(remove, input);
  chosen.append(chip);
  picker.querySelector(".picker-results").replaceChildren();
  const q = picker.querySelector(".picker-q");
  q.value = "";
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

document.addEventListener("click", (e) => {
  const choice = e.target.closest("[data-pick-value]");
  if (choice) {
    e.preventDefault();
    pick(choice);
    return;
  }
  const remove = e.target.closest("[data-unpick]");
  if (remove) {
    const picker = remove.closest("[data-picker]");
    remove.closest(".picked").remove();
    picker.dispatchEvent(new Event("change", { bubbles: true }));
    return;
  }
  for (const open of document.querySelectorAll(".picker-results:not(:empty)")) {
    if (!open.closest("[data-picker]").contains(e.target)) open.replaceChildren();
  }
});

document.addEventListener("keydown", (e) => {
  if (!e.target.matches(".picker-q")) return;
  const picker = e.target.closest("[data-picker]");
  if (e.key === "Enter") {
    e.preventDefault(); // Enter picks the first match; it does not send the form half-filled
    const first = picker.querySelector("[data-pick-value]");
    if (first) pick(first);
  } else if (e.key === "Escape") {
    picker.querySelector(".picker-results").replaceChildren();
  }
});

// Results that arrive after the person has picked or moved on (a delayed search) are not shown:
// they would cover the form.
document.addEventListener("htmx:beforeSwap", (e) => {
  const target = e.detail.target;
  if (!target || !target.classList || !target.classList.contains("picker-results")) return;
  const picker = target.closest("[data-picker]");
  if (!picker.contains(document.activeElement)) e.detail.shouldSwap = false;
});
