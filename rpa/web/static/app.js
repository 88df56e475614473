// rpa workspace: keyboard shortcuts, dialogs, zoom. Everything also works without this file.
(() => {
  "use strict";

  const typing = (el) =>
    !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  function press(selector) {
    const button = $(selector);
    if (!button) return false;
    if (button.form && button.type === "submit") button.form.requestSubmit(button);
    else button.click();
    return true;
  }

  function follow(key) {
    const link = $(`a[data-key="${key}"]`);
    if (link) window.location.assign(link.href);
    return !!link;
  }

  function openDialog(id, focus) {
    const dialog = document.getElementById(id);
    if (!dialog || dialog.open) return false;
    dialog.showModal();
    const target = focus ? $(focus, dialog) : null;
    if (target) target.focus();
    return true;
  }

  // Queue: j/k move the selection, o or Enter opens it.
  let selected = -1;
  const rows = () => $$("[data-queue] tbody tr[data-row]");
  function select(index) {
    const all = rows();
    if (!all.length) return false;
    selected = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((row, i) => row.classList.toggle("selected", i === selected));
    const link = $("a[data-open]", all[selected]);
    if (link) link.focus();
    return true;
  }

  const shortcuts = {
    "?": () => openDialog("help"),
    "/": () => {
      const box = $("[data-search]") || $("#kb-q");
      if (box) box.focus();
      return !!box;
    },
    j: () => (rows().length ? select(selected + 1) : follow("j")),
    k: () => (rows().length ? select(selected - 1) : follow("k")),
    o: () => {
      const link = selected >= 0 ? $("a[data-open]", rows()[selected]) : null;
      if (link) window.location.assign(link.href);
      return !!link;
    },
    e: () => {
      const reply = $("#reply");
      if (reply) reply.focus();
      return !!reply;
    },
    a: () => press("[data-approve]"),
    n: () => press("[data-approve-next]"),
    r: () => openDialog("reject-dialog", "textarea"),
    d: () => press("[data-redraft]"),
    q: () => follow("q"),
  };

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.metaKey || event.defaultPrevented) return;
    if (event.ctrlKey) {
      // Ctrl+Enter in the reply: approve and open the next message.
      if (event.key === "Enter" && press("[data-approve-next]")) event.preventDefault();
      return;
    }
    if (event.key === "Escape" && typing(document.activeElement)) {
      document.activeElement.blur();
      return;
    }
    if (typing(document.activeElement) || $("dialog[open]")) return;
    const action = shortcuts[event.key];
    if (action && action()) event.preventDefault();
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target.closest("[data-help]")) openDialog("help");
    if (target.closest("[data-reject]")) openDialog("reject-dialog", "textarea");
    if (target.closest("[data-close]")) target.closest("dialog").close();
    const zoom = target.closest("[data-zoom]");
    if (zoom) changeZoom(zoom.closest("[data-attachment]"), zoom.dataset.zoom === "in" ? 1 : -1);
    const goto = target.closest("[data-goto-field]");
    if (goto) {
      event.preventDefault();
      showField(goto.dataset.gotoField);
    }
  });

  // Zoom: the page gets wider and its picture is fetched at a width that stays sharp.
  const LEVELS = ["", "zoom-2", "zoom-3", "zoom-4"];
  function changeZoom(attachment, step) {
    if (!attachment) return;
    const current = LEVELS.findIndex((name) => name && attachment.classList.contains(name));
    const next = Math.max(0, Math.min(LEVELS.length - 1, (current < 0 ? 0 : current) + step));
    LEVELS.forEach((name) => name && attachment.classList.remove(name));
    if (LEVELS[next]) attachment.classList.add(LEVELS[next]);
    $$("img[data-widths]", attachment).forEach((img) => {
      const widths = img.dataset.widths.split(",").map(Number);
      const wanted = img.clientWidth * (window.devicePixelRatio || 1);
      const width = widths.find((w) => w >= wanted) || widths[widths.length - 1];
      const url = new URL(img.src, window.location.href);
      if (url.searchParams.get("w") !== String(width)) {
        url.searchParams.set("w", String(width));
        img.src = url.pathname + url.search;
      }
    });
  }

  function showField(name) {
    const box = $(`rect[data-field="${CSS.escape(name)}"]`);
    if (!box) return;
    box.closest(".page").scrollIntoView({ behavior: "smooth", block: "center" });
    box.classList.add("focus");
    window.setTimeout(() => box.classList.remove("focus"), 2000);
  }
})();
