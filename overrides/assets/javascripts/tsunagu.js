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
