/* Area look-up pages: a filter box over the table of areas. Without JavaScript the whole
   table is there and the box stays hidden. Matches the name or its reading; katakana is
   read as hiragana and full-width as half-width, so あおば and アオバ both find 青葉町 when its reading is given. */
(function () {
  "use strict";
  var box = document.querySelector("[data-ts-area-filter]");
  if (!box) return;
  var input = box.querySelector("input");
  var count = box.querySelector("[role=status]");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-ts-area]"));
  function fold(text) {
    return text.normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0x60);
    }).replace(/\s+/g, "");
  }
  var keys = rows.map(function (row) { return fold(row.getAttribute("data-ts-area")); });
  var timer = null;
  function apply() {
    var q = fold(input.value);
    var shown = 0;
    rows.forEach(function (row, i) {
      var hit = !q || keys[i].indexOf(q) !== -1;
      row.hidden = !hit;
      if (hit) shown += 1;
    });
    count.textContent = q ? rows.length + " 件中 " + shown + " 件" : rows.length + " 件";
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  box.hidden = false;
})();
