// The chat page: listens to the case's event stream (EventSource) and reloads the transcript or the header when
// the case changes, so the borrower's messages appear without a reload; resets a form htmx has sent; Ctrl+Enter
// sends, Escape leaves the field; "/" in an empty reply box or Ctrl+K opens the canned replies, Enter inserts the
// first one shown.
(function () {
  "use strict";
  const chat = document.getElementById("chat");
  if (!chat) return;
  const transcript = document.getElementById("transcript");
  const reply = document.getElementById("reply");
  const picker = document.getElementById("canned");
  const filter = document.getElementById("canned-filter");

  function atBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
  }

  async function load(url) {
    const response = await fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
    if (response.status === 401) {
      window.location.reload();
      return null;
    }
    return response.ok ? response.text() : null;
  }

  // Reloads may overlap when events come close together: an answer older than the one shown is dropped.
  const asked = { transcript: 0, header: 0 }, applied = { transcript: 0, header: 0 };

  async function newest(part, url) {
    const ticket = ++asked[part];
    const html = await load(url);
    if (html === null || ticket < applied[part]) return null;
    applied[part] = ticket;
    return html;
  }

  async function reloadTranscript() {
    const follow = atBottom();
    const html = await newest("transcript", chat.dataset.transcript);
    if (html === null) return;
    transcript.innerHTML = html;
    chat.dataset.loaded = transcript.lastElementChild ? transcript.lastElementChild.dataset.id || "0" : "0";
    if (follow) window.scrollTo(0, document.body.scrollHeight);
  }

  async function reloadHeader() {
    const html = await newest("header", chat.dataset.header);
    if (html === null) return;
    document.getElementById("case-header").innerHTML = html;
    if (window.htmx) window.htmx.process(document.getElementById("case-header"));
    if (document.querySelector("#case-status.status-closed")) {
      document.querySelectorAll(".compose, #canned").forEach(function (element) { element.remove(); });
    }
  }

  const stream = new EventSource(chat.dataset.events);
  stream.addEventListener("ready", function () {
    chat.dataset.live = "true";
    reloadHeader(); // a (re)connected stream may have missed events: both parts are read again
    reloadTranscript();
  });
  stream.addEventListener("case.message", reloadTranscript);
  stream.addEventListener("case.delivered", reloadTranscript);
  stream.addEventListener("case.changed", function () {
    reloadHeader();
    reloadTranscript();
  });
  stream.onerror = function () {
    chat.dataset.live = "false"; // EventSource reconnects by itself; "ready" then reloads what was missed
  };

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !chat.contains(form)) return;
    const error = document.getElementById("chat-error");
    if (event.detail.successful) {
      if (form.id === "reply-form" || form.id === "note-form") form.reset();
      error.hidden = true;
      reloadHeader(); // what this page did shows at once, not only when its event arrives
      reloadTranscript();
    } else {
      error.hidden = false;
    }
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.id === "close-case" && event.target.open) document.getElementById("close-confirm").focus();
  }, true);

  function openPicker() {
    if (!picker) return;
    picker.hidden = false;
    filter.value = "";
    showMatching();
    filter.focus();
  }

  function closePicker() {
    picker.hidden = true;
    reply.focus();
  }

  function shown() {
    return Array.from(picker.querySelectorAll("button[data-text]")).filter(function (b) { return !b.parentElement.hidden; });
  }

  function showMatching() {
    const words = filter.value.toLowerCase();
    picker.querySelectorAll("button[data-text]").forEach(function (button) {
      const haystack = (button.textContent + " " + button.dataset.text).toLowerCase();
      button.parentElement.hidden = words !== "" && !haystack.includes(words);
    });
  }

  function insert(text) {
    const start = reply.selectionStart, end = reply.selectionEnd;
    reply.value = reply.value.slice(0, start) + text + reply.value.slice(end);
    picker.hidden = true;
    reply.focus();
    reply.selectionStart = reply.selectionEnd = start + text.length;
  }

  if (picker) {
    filter.addEventListener("input", showMatching);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        const first = shown()[0];
        if (first) insert(first.dataset.text);
        event.preventDefault();
      } else if (event.key === "Escape") {
        closePicker();
        event.preventDefault();
        event.stopPropagation();
      }
    });
    picker.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-text]");
      if (button) insert(button.dataset.text);
    });
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k" && reply) {
      openPicker();
      event.preventDefault();
      return;
    }
    if (event.target === reply && event.key === "/" && reply.value === "") {
      openPicker();
      event.preventDefault();
      return;
    }
    if (event.key === "Escape" && event.target.matches("#reply, #note")) {
      event.target.blur(); // out of the field, so the page's keys work again
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target.form && chat.contains(event.target)) {
      event.target.form.requestSubmit();
      event.preventDefault();
    }
  });
})();
