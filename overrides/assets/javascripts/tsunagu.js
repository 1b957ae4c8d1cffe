/* tsunagu: progressive enhancement only. Every page works without this file.
   On question-flow pages reached from another flow page, move focus to the new heading so that
   keyboard and screen-reader users start at the question (or the outcome) and hear it read. */
(function () {
  "use strict";
  var flow = document.querySelector("[data-ts-flow]");
  if (!flow) return;
  var ref = document.referrer || "";
  var here = "/flows/" + flow.getAttribute("data-ts-flow") + "/";
  if (ref.indexOf(location.host) === -1 || ref.indexOf(here) === -1) return;
  var h1 = document.querySelector("article h1");
  if (!h1) return;
  h1.setAttribute("tabindex", "-1");
  h1.focus();
})();

/* Material opens its navigation drawer (narrow screens, or wide screens zoomed to 200 %) with a
   <label>, which the keyboard cannot reach. Put a real button in its place. */
(function () {
  "use strict";
  var label = document.querySelector('label.md-header__button[for="__drawer"]');
  var toggle = document.getElementById("__drawer");
  if (!label || !toggle) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-header__button md-icon ts-menu-button";
  button.setAttribute("aria-label", "メニュー");
  button.setAttribute("aria-expanded", "false");
  button.innerHTML = label.innerHTML;
  label.parentNode.insertBefore(button, label);
  label.hidden = true;
  button.addEventListener("click", function () {
    toggle.checked = !toggle.checked;
    toggle.dispatchEvent(new Event("change"));
    button.setAttribute("aria-expanded", String(toggle.checked));
    if (toggle.checked) {
      var first = document.querySelector(".md-sidebar--primary a[href]");
      if (first) first.focus();
    }
  });
  toggle.addEventListener("change", function () { button.setAttribute("aria-expanded", String(toggle.checked)); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && toggle.checked) { toggle.checked = false; button.setAttribute("aria-expanded", "false"); button.focus(); }
  });
})();
