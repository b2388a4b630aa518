#!/usr/bin/env node
// Accessibility checks of HTML pages in the system Chromium: axe-core at WCAG 2.1 AA, and a
// keyboard walk (Tab from the top of the page until focus leaves it).
//
//   node tests/a11y/check.js [--width 1280,390] [--keyboard] PAGE.html...
//
// Prints one JSON array on stdout, one entry per page and width:
//   {"file", "width", "violations": [{"id", "impact", "help", "helpUrl",
//                                     "nodes": [{"target", "html", "summary"}]}],
//      (axe's, then the house rules « maison-… » that axe does not check),
//    "pageWidth": the page's scroll width in CSS pixels,
//    "focusables": [descriptions of every element reachable by Tab, in document order],
//    "keyboard": [{"desc", "outline", "inViewport"} for each Tab press, in order],
//    "skip": {"activeAfterEnter", "hash"}}        (the last two with --keyboard)
// Exit 0 when the pages could be checked (violations are data), 2 when not.
// One browser for all pages; the browser is never downloaded: CHROMIUM (default
// /usr/bin/chromium) is launched with a throwaway profile; no network is used.
"use strict";

const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

function parseArgs(argv) {
  const opts = { widths: [1280], keyboard: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--keyboard") opts.keyboard = true;
    else if (arg === "--width") opts.widths = argv[++i].split(",").map(Number);
    else opts.files.push(path.resolve(arg));
  }
  if (!opts.files.length) throw new Error("usage: check.js [--width W,W] [--keyboard] PAGE.html...");
  return opts;
}

// A short description of an element, the same in the page and in the Tab walk.
function describe(el) {
  if (!el || el === document.body || el === document.documentElement) return "(body)";
  const attr = (n) => (el.getAttribute(n) ? `[${n}="${el.getAttribute(n)}"]` : "");
  const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
  return `${el.tagName.toLowerCase()}${attr("id")}${attr("href")} «${text}»`;
}

// What axe does not check but the RGAA asks of this report (criteria 5.6, 5.7 and 1.x):
// every data table has header cells with a scope, and every chart (svg role="img") comes
// with its data as a table in the same <figure>.
function houseRules() {
  const node = (el) => ({ target: [el.id ? `#${el.id}` : el.tagName.toLowerCase()], html: el.outerHTML.slice(0, 200) });
  const rules = [
    {
      id: "maison-table-headers",
      help: "Every table has header cells (th) and each th has a scope (RGAA 5.6, 5.7)",
      nodes: [...document.querySelectorAll("table")].filter(
        (t) => !t.querySelector("th") || [...t.querySelectorAll("th")].some((th) => !th.hasAttribute("scope")),
      ),
    },
    {
      id: "maison-chart-data",
      help: "Every chart (svg role=img) has its data as a table in the same figure (RGAA 1.x)",
      nodes: [...document.querySelectorAll('svg[role="img"]')].filter(
        (svg) => !(svg.closest("figure") && svg.closest("figure").querySelector("table")),
      ),
    },
  ];
  return rules
    .filter((r) => r.nodes.length)
    .map((r) => ({ id: r.id, impact: "serious", help: r.help, helpUrl: "", nodes: r.nodes.map(node) }));
}

async function focusables(page) {
  return page.evaluate((describeSrc) => {
    const describe = new Function(`return (${describeSrc})`)();
    const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
    return [...document.querySelectorAll(selector)]
      .filter((el) => el.tabIndex >= 0 && !el.disabled)
      .filter((el) => el.getClientRects().length > 0) // rendered (not in a closed <details>)
      .map(describe);
  }, describe.toString());
}

async function focused(page) {
  return page.evaluate((describeSrc) => {
    const describe = new Function(`return (${describeSrc})`)();
    const el = document.activeElement;
    const style = el ? getComputedStyle(el) : null;
    const outline =
      !!style &&
      style.outlineStyle !== "none" &&
      parseFloat(style.outlineWidth) >= 2 &&
      style.outlineColor !== "rgba(0, 0, 0, 0)";
    const box = el ? el.getBoundingClientRect() : null;
    const inViewport =
      !!box && box.bottom > 0 && box.top < window.innerHeight && box.width > 0 && box.height > 0;
    return { desc: describe(el), outline, inViewport };
  }, describe.toString());
}

async function keyboardWalk(page, limit) {
  const steps = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const step = await focused(page);
    steps.push(step);
    if (step.desc === "(body)") break; // focus left the page: no trap
  }
  return steps;
}

async function skipLink(page) {
  await page.evaluate(() => {
    document.activeElement && document.activeElement.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await new Promise((r) => setTimeout(r, 50));
  return page.evaluate(() => ({
    activeAfterEnter: document.activeElement ? document.activeElement.id || document.activeElement.tagName : "",
    hash: location.hash,
  }));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results = [];
  try {
    for (const file of opts.files) {
      for (const width of opts.widths) {
        const page = await browser.newPage();
        await page.setBypassCSP(true); // the report forbids scripts; axe is injected
        await page.setViewport({ width, height: 900 });
        await page.goto("file://" + file, { waitUntil: "load" });
        await page.evaluate(axeSource);
        const axe = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
          TAGS,
        );
        const entry = {
          file,
          width,
          violations: axe.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), summary: n.failureSummary })),
          })),
        };
        entry.violations.push(...(await page.evaluate(houseRules)));
        // wider than the window: the page scrolls sideways (only tables may, in their region)
        entry.pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (opts.keyboard) {
          entry.focusables = await focusables(page);
          entry.keyboard = await keyboardWalk(page, entry.focusables.length + 5);
          entry.skip = await skipLink(page);
        }
        results.push(entry);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results, null, 1) + "\n");
}

main().catch((err) => {
  process.stderr.write(`check.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(2);
});
