/* tsunagu: progressive enhancement only. Every page works without this file.
   On question-flow pages reached from another flow page, move focus to the new heading so that
   keyboard and screen-reader users start at the question (or the outcome) and hear it read.
   Chromium draws the focus ring (:focus-visible) on a heading focused by script on a new page however
   the link was followed, so the page a link was followed from records how (sessionStorage): after a
   click or tap the heading gets focus without the ring (data-ts-arrived, tsunagu.css) until a key is
   pressed; after the keyboard, or when nothing was recorded, the ring shows as before. */
(function () {
  "use strict";
  var flow = document.querySelector("[data-ts-flow]");
  if (!flow) return;
  var KEY = "ts-arrival";
  var how = "keyboard";
  document.addEventListener("pointerdown", function () { how = "pointer"; }, true);
  document.addEventListener("keydown", function () { how = "keyboard"; }, true);
  document.addEventListener("click", function () {
    try { sessionStorage.setItem(KEY, how); } catch (_) { /* storage refused: the ring shows */ }
  }, true);
  var arrived = null;
  try { arrived = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (_) { /* as above */ }
  var ref = document.referrer || "";
  var here = "/flows/" + flow.getAttribute("data-ts-flow") + "/";
  if (ref.indexOf(location.host) === -1 || ref.indexOf(here) === -1) return;
  var h1 = document.querySelector("article h1");
  if (!h1) return;
  h1.setAttribute("tabindex", "-1");
  if (arrived === "pointer") {
    h1.setAttribute("data-ts-arrived", "pointer");
    document.addEventListener("keydown", function () { h1.removeAttribute("data-ts-arrived"); }, true);
  }
  h1.focus();
})();

/* Material opens its navigation drawer (narrow screens, or wide screens zoomed to 200 %) with a
   <label>, which the keyboard cannot reach. Put a real button in its place (and in place of the
   no-JavaScript menu link). Opening moves focus into the drawer; Escape, the overlay or the
   drawer's title close it and return focus to the button; Tab out of the drawer closes it, so
   that no focused element sits under the overlay. The closed drawer is hidden (tsunagu.css). */
(function () {
  "use strict";
  var label = document.querySelector('label.md-header__button[for="__drawer"]');
  var toggle = document.getElementById("__drawer");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!label || !toggle || !drawer) return;
  var link = document.querySelector(".ts-menu-link");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-header__button md-icon ts-menu-button";
  button.setAttribute("aria-label", "メニュー");
  button.setAttribute("aria-expanded", "false");
  if (drawer.id) button.setAttribute("aria-controls", drawer.id);
  button.innerHTML = label.innerHTML;
  label.parentNode.insertBefore(button, label);
  label.hidden = true;
  if (link) link.hidden = true;
  // opened by the no-JavaScript link (#ts-menu) before this ran: from here the button decides
  if (drawer.id && location.hash === "#" + drawer.id) location.replace("#");

  function set(open) {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
  }
  function inside(el) { return !!el && drawer.contains(el); }

  button.addEventListener("click", function () {
    set(!toggle.checked);
    if (toggle.checked) {
      var first = [].filter.call(drawer.querySelectorAll("a[href], button"), function (e) { return e.getClientRects().length; })[0];
      if (first) first.focus();
    }
  });
  toggle.addEventListener("change", function () {
    button.setAttribute("aria-expanded", String(toggle.checked));
    // closed by the overlay, the drawer's title or Escape: focus goes back to the button
    var active = document.activeElement;
    if (!toggle.checked && (inside(active) || active === document.body || !active)) button.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && toggle.checked) { set(false); button.focus(); }
  });
  drawer.addEventListener("focusout", function (e) {
    if (toggle.checked && e.relatedTarget && !inside(e.relatedTarget) && e.relatedTarget !== button) {
      toggle.checked = false;
      button.setAttribute("aria-expanded", "false");
    }
  });
})();

/* ふりがな: the header's switch is a checkbox that shows the readings by CSS alone (also without
   JavaScript). Here the choice is kept across pages and visits (localStorage "ts-furigana"): the head
   script of every page marks <html> before the first paint, and the switch is set to match. A page
   restored from the back-forward cache, or changed in another tab, follows the stored choice. */
(function () {
  "use strict";
  var KEY = "ts-furigana";
  var root = document.documentElement;
  var box = document.getElementById("ts-furigana");
  /* the reader's choice ("on", "off"), else the page's own default: its switch as the HTML has it */
  function stored() {
    var v = null;
    try { v = localStorage.getItem(KEY); } catch (_) { return root.classList.contains("ts-furigana-on"); }
    return v === "on" || (v !== "off" && !!box && box.defaultChecked);
  }
  function show(on) {
    root.classList.toggle("ts-furigana-on", on);
    root.classList.toggle("ts-furigana-off", !on);
    if (box) box.checked = on;
  }
  show(stored());
  if (!box) return;
  box.addEventListener("change", function () {
    root.classList.toggle("ts-furigana-on", box.checked);
    root.classList.toggle("ts-furigana-off", !box.checked);
    try { localStorage.setItem(KEY, box.checked ? "on" : "off"); } catch (_) { /* storage refused: this page only */ }
  });
  window.addEventListener("pageshow", function () { show(stored()); });
  window.addEventListener("storage", function (e) { if (e.key === KEY) show(e.newValue === "on"); });
})();
