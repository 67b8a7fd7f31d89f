/* azgraph site search: MiniSearch over window.AZGRAPH_SEARCH (search-index.js).
   Everything is local: the index is a script file, so it loads from file:// too. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || !window.MiniSearch || !window.AZGRAPH_SEARCH) { return; }
  var root = box.getAttribute("data-root") || "";
  var fold = function (term) {
    return term.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/ı/g, "i").replace(/ə/g, "e");
  };
  var engine = new window.MiniSearch({
    fields: ["t", "n", "q"],
    storeFields: ["t", "u", "k"],
    processTerm: fold,
    searchOptions: { prefix: true, fuzzy: 0.15, boost: { t: 3, n: 2 }, combineWith: "AND" }
  });
  engine.addAll(window.AZGRAPH_SEARCH);
  var input = box.querySelector("input");
  var list = box.querySelector("ol");
  var status = box.querySelector("[role=status]");
  var show = function () {
    var q = input.value.trim();
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    var hits = engine.search(q).slice(0, 12);
    status.textContent = hits.length ? hits.length + " found" : "Nothing found";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + hit.u;
      a.textContent = hit.t;
      li.appendChild(a);
      if (hit.k) {
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " " + hit.k;
        li.appendChild(kind);
      }
      list.appendChild(li);
    });
  };
  input.addEventListener("input", show);
  box.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
  box.hidden = false;
})();
