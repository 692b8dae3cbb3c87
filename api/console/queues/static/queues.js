// The queue page's keyboard: j / k select the next / previous row, Enter opens it in the panel (t and r are the
// panel's own buttons, pressed through console.js's data-key). The selection survives the rows being reloaded.
(function () {
  "use strict";
  let selected = null;

  function rows() {
    return Array.from(document.querySelectorAll("#queue-table tbody tr"));
  }

  function select(row) {
    for (const other of rows()) other.setAttribute("aria-selected", other === row ? "true" : "false");
    if (!row) return;
    selected = row.dataset.item;
    row.scrollIntoView({ block: "nearest" });
  }

  function current() {
    return rows().find(function (row) { return row.dataset.item === selected; }) || null;
  }

  function move(step) {
    const all = rows();
    if (all.length === 0) return;
    const index = all.indexOf(current());
    const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1);
    select(all[next]);
  }

  function open() {
    const active = document.activeElement;
    if (active && active.matches("a, button, summary")) {
      active.click(); // Enter keeps its meaning on a focused link or button
      return;
    }
    const row = current();
    const link = row && row.querySelector("a.open");
    if (link) link.click();
  }

  document.addEventListener("htmx:afterSwap", function () {
    const panel = document.getElementById("panel");
    if (panel) selected = panel.dataset.item;
    select(current());
  });

  document.addEventListener("DOMContentLoaded", function () {
    const panel = document.getElementById("panel");
    if (panel) selected = panel.dataset.item;
    select(current());
  });

  window.Console.onKey("j", function () { move(1); });
  window.Console.onKey("k", function () { move(-1); });
  window.Console.onKey("Enter", open);
})();
