(function () {
  "use strict";
  function norm(s) { return (s || "").toLocaleLowerCase("sv"); }

  function setupFilters() {
    var form = document.getElementById("filter");
    var list = document.getElementById("fynd");
    if (!form || !list) { return; }
    var findings = Array.prototype.slice.call(list.querySelectorAll(".finding"));
    var texts = findings.map(function (el) {
      var person = el.closest("section.person");
      var name = person ? person.querySelector(".person-name").textContent : "";
      return norm(el.textContent + " " + name + " " + el.getAttribute("data-case"));
    });
    var persons = Array.prototype.slice.call(list.querySelectorAll("section.person"));
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
      persons.forEach(function (sec) {
        sec.hidden = sec.querySelector(".finding:not([hidden])") === null;
      });
      var filtering = st || sev || ru || q;
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

  // Printing: the summary by default; everything (all details open) when asked for.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    if (!document.body.classList.contains("print-full")) { return; }
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    document.body.classList.remove("print-full");
  });
  function setupPrint() {
    var controls = document.querySelector(".print-controls");
    if (!controls) { return; }
    Array.prototype.forEach.call(controls.querySelectorAll("button[data-print]"), function (b) {
      b.addEventListener("click", function () {
        document.body.classList.toggle("print-full", b.getAttribute("data-print") === "allt");
        window.print();
      });
    });
    controls.hidden = false;
  }

  setupFilters();
  setupSort();
  setupPrint();
  reveal();
}());
