(function () {
  "use strict";
  function norm(s) { return (s || "").toLocaleLowerCase("sv"); }

  function setupFilters() {
    var form = document.getElementById("filter");
    var list = document.getElementById("fynd");
    if (!form || !list) { return; }
    var findings = Array.prototype.slice.call(list.querySelectorAll(".finding"));
    var texts = findings.map(function (el) {
      var box = el.closest("details");
      var label = box && box.querySelector("summary") ? box.querySelector("summary").textContent : "";
      return norm(el.textContent + " " + label + " " + el.getAttribute("data-case"));
    });
    var cases = Array.prototype.slice.call(list.querySelectorAll("details.case"));
    var rules = Array.prototype.slice.call(list.querySelectorAll("section.rule"));
    var status = form.querySelector("[name=status]");
    var severity = form.querySelector("[name=allvarlighet]");
    var rule = form.querySelector("[name=regel]");
    var query = form.querySelector("[name=sok]");
    var out = form.querySelector("output");
    var total = findings.length;

    function apply() {
      var st = status.value, sev = severity.value, ru = rule.value, q = norm(query.value.trim());
      var shown = 0;
      findings.forEach(function (el, i) {
        var ok = (!st || el.getAttribute("data-status") === st) &&
          (!sev || el.getAttribute("data-severity") === sev) &&
          (!ru || el.getAttribute("data-rule") === ru) &&
          (!q || texts[i].indexOf(q) !== -1);
        el.hidden = !ok;
        if (ok) { shown += 1; }
      });
      cases.forEach(function (d) {
        var any = d.querySelector(".finding:not([hidden])") !== null;
        d.hidden = !any;
        if (q && any) { d.open = true; }
      });
      var filtering = st || sev || ru || q;
      rules.forEach(function (sec) {
        var any = sec.querySelector(".finding:not([hidden])") !== null;
        var id = sec.getAttribute("data-rule");
        sec.hidden = filtering ? (!any && !(ru && ru === id && !st && !sev && !q)) : false;
      });
      out.textContent = filtering ? "Visar " + shown + " av " + total + " fynd." : "Visar alla " + total + " fynd.";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function setupSort() {
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead th");
      var body = table.tBodies[0];
      Array.prototype.forEach.call(heads, function (th, col) {
        if (th.hasAttribute("data-nosort")) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () {
          var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
          Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", dir);
          var rows = Array.prototype.slice.call(body.rows);
          var numeric = th.classList.contains("num");
          rows.sort(function (a, b) {
            var ca = a.cells[col], cb = b.cells[col];
            var va = ca.getAttribute("data-sort") || ca.textContent.trim();
            var vb = cb.getAttribute("data-sort") || cb.textContent.trim();
            var r = numeric ? (parseFloat(va) - parseFloat(vb)) : va.localeCompare(vb, "sv");
            if (!r) { r = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
            return dir === "ascending" ? r : -r;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  // A link to a finding inside a closed case opens the case.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (!el) { return; }
    for (var d = el.closest("details"); d; d = d.parentElement ? d.parentElement.closest("details") : null) {
      d.open = true;
    }
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  setupFilters();
  setupSort();
  reveal();
}());
