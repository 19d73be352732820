// Open rendered reports in headless Chromium and report what a person (and axe-core) sees.
// Usage: node check_reports.mjs CONFIG.json  ->  prints one JSON object on stdout.
// CONFIG: {"chromium": "/usr/bin/chromium", "out": DIR,
//          "pages": [{"name", "file", "filter", "axe", "widths": [1366, 390], "pdf": true}]}
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
});

async function visibleFindings(page) {
  return page.$$eval("#fynd .finding", (els) =>
    els.filter((el) => !el.hidden && !el.closest("[hidden]")).map((el) => ({
      status: el.dataset.status, severity: el.dataset.severity, rule: el.dataset.rule,
    })));
}

async function checkPage(spec) {
  const url = "file://" + path.resolve(spec.file);
  const result = { name: spec.name, dialogs: [], pageErrors: [], console: [], requests: [] };

  // 1. As a user opens it: CSP enforced, our script must run by its hash.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("dialog", async (d) => { result.dialogs.push(d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => result.pageErrors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") result.console.push(m.text()); });
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) result.requests.push(r.url()); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
    });
  });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: "load" });
  result.loadMs = Date.now() - t0;
  result.cspViolations = await page.evaluate(() => window.__csp);
  result.scriptInjected = await page.evaluate(() => document.querySelectorAll("script").length);
  result.filterShown = await page.evaluate(() => {
    const f = document.getElementById("filter");
    return f ? !f.hidden : null;
  });
  await page.screenshot({ path: path.join(config.out, spec.name + ".png"), fullPage: false });
  // A full-page image only where Chromium can capture one (very long pages cannot).
  if (await page.evaluate(() => document.documentElement.scrollHeight < 15000)) {
    await page.screenshot({ path: path.join(config.out, spec.name + "-full.png"), fullPage: true });
  }

  if (spec.filter) {
    const all = await visibleFindings(page);
    await page.selectOption("#filter-status", "violation");
    const violations = await visibleFindings(page);
    await page.selectOption("#filter-status", "");
    await page.fill("#filter-sok", spec.filter.search);
    const searched = await visibleFindings(page);
    const openCases = await page.$$eval("#fynd section.person", (els) => els.filter((el) => !el.hidden).length);
    const status = await page.textContent("#filter output");
    await page.screenshot({ path: path.join(config.out, spec.name + "-filter.png"), fullPage: false });
    await page.click("#filter button[type=reset]");
    await page.waitForTimeout(50);
    const reset = await visibleFindings(page);
    // Sort the brukare table by the number of violations -> first click ascending.
    let sorted = null;
    if (await page.$("#brukare table.sortable th button.sort")) {
      const th = page.locator("#brukare table.sortable").first().locator("thead th").nth(3);
      await th.locator("button").click();
      sorted = {
        ariaSort: await th.getAttribute("aria-sort"),
        values: (await page.locator("#brukare table.sortable").first().locator("tbody tr td:nth-child(4)").allTextContents()).map(Number),
      };
    }
    // A finding in "Åtgärda nu": the finding is shown, the person's name stays in view,
    // and the way back leads to the list.
    const link = page.locator("#sammanfattning table.actions tbody tr").first().locator("a").nth(1);
    const target = (await link.getAttribute("href")).slice(1);
    await link.click();
    await page.waitForTimeout(50);
    const linkOpens = await page.evaluate((id) => {
      const el = document.getElementById(id);
      const name = el.closest("section.person").querySelector(".person-name").getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return {
        visible: el.checkVisibility() && box.top < window.innerHeight && box.bottom > 0,
        nameInView: name.top >= 0 && name.bottom <= window.innerHeight,
        back: el.querySelector(".back a").getAttribute("href"),
      };
    }, target);
    let caseSearch = null;
    if (spec.filter.caseLabel) {
      await page.fill("#filter-sok", spec.filter.caseLabel);
      caseSearch = (await visibleFindings(page)).length;
      await page.click("#filter button[type=reset]");
    }
    result.filter = { all, violations, searched, openCases, status, reset, sorted, linkOpens, caseSearch };
  }

  if (await page.$("#brukare .person")) {
    await page.locator("#brukare .person").first().screenshot({ path: path.join(config.out, spec.name + "-findings.png") });
  }

  // Print: the summary by default; everything only when asked for.
  await page.emulateMedia({ media: "print" });
  const printState = () => page.evaluate(() => {
    const f = document.querySelector("#fynd .finding");
    const summary = document.getElementById("sammanfattning");
    return {
      summaryVisible: summary ? summary.checkVisibility() : null,
      findingVisible: f ? f.checkVisibility() : null,
      filterVisible: document.getElementById("filter") ? document.getElementById("filter").checkVisibility() : null,
    };
  });
  const countPages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
  result.print = { summary: await printState() };
  const summaryPdf = await page.pdf({ path: path.join(config.out, spec.name + ".pdf"), format: "A4" });
  result.print.summaryPages = countPages(summaryPdf);
  await page.evaluate(() => document.body.classList.add("print-full"));
  result.print.full = await printState();
  if (spec.pdf) {
    const fullPdf = await page.pdf({ path: path.join(config.out, spec.name + "-hela.pdf"), format: "A4" });
    result.print.fullPages = countPages(fullPdf);
  }
  await context.close();

  // Layout: nothing scrolls sideways at the widths people use.
  result.overflow = {};
  for (const width of spec.widths || []) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(url, { waitUntil: "load" });
    await p.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    result.overflow[width] = await p.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    await p.screenshot({ path: path.join(config.out, `${spec.name}-${width}.png`), fullPage: false });
    await ctx.close();
  }

  // 2. Without JavaScript: everything readable, no filter form shown.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await noJs.newPage();
  await p2.goto(url, { waitUntil: "load" });
  result.noJs = await p2.evaluate(() => ({
    findings: document.querySelectorAll("#fynd .finding").length,
    filterHidden: document.getElementById("filter") ? document.getElementById("filter").hidden : null,
    h1: document.querySelector("h1") ? document.querySelector("h1").textContent : null,
  }));
  await noJs.close();

  // 3. axe-core, with our script run and every <details> opened.
  if (spec.axe) {
    const axeContext = await browser.newContext({ bypassCSP: true });
    const p3 = await axeContext.newPage();
    await p3.goto(url, { waitUntil: "load" });
    await p3.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    await p3.addScriptTag({ path: axePath });
    const axe = await p3.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
      }));
    });
    result.axe = axe;
    await axeContext.close();
  }
  return result;
}

const results = [];
try {
  for (const spec of config.pages) {
    results.push(await checkPage(spec));
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ results }, null, 1));
