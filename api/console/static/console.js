// The console's behaviour: the CSRF header on every htmx request, the keyboard help overlay (?), and the
// keyboard plumbing pages use: an element with data-key="x" is clicked (a field: focused) when x is pressed;
// scripts of a page may add their own with Console.onKey("x", handler).
(function () {
  "use strict";
  const handlers = new Map();

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  function help() {
    return document.getElementById("help");
  }

  function toggleHelp(show) {
    const overlay = help();
    if (overlay) overlay.hidden = !(show === undefined ? overlay.hidden : show);
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") !== null;
  }

  function visible(element) {
    return element.offsetParent !== null || element.hidden;
  }

  function pressDeclared(key) {
    const candidates = document.querySelectorAll('[data-key="' + CSS.escape(key) + '"]');
    for (const element of candidates) {
      if (!visible(element)) continue;
      if (element.matches("input, textarea, select")) element.focus();
      else element.click();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      toggleHelp(false);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      toggleHelp();
      event.preventDefault();
      return;
    }
    const handler = handlers.get(event.key);
    if (handler) {
      handler(event);
      event.preventDefault();
    } else if (pressDeclared(event.key)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target === help()) toggleHelp(false);
  });

  window.Console = {
    onKey: function (key, handler) {
      handlers.set(key, handler);
    },
    csrfToken: csrfToken,
  };
})();
