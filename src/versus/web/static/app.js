// llm-versus page behaviour. Everything works without it (forms are plain GET forms); with it, nothing reloads.
"use strict";

const isStatic = document.body.dataset.static === "1";

// --- traffic figures, read as the server reads them: 5M, 2.5k, 1,000,000, 5e6; 40% or 0.4 ------------
const SCALE = { k: 1e3, m: 1e6, b: 1e9 };
function readCount(text) {
  let raw = text.trim().replace(/[,_]/g, "");
  const scale = SCALE[raw.slice(-1).toLowerCase()];
  if (scale && raw.length > 1) raw = raw.slice(0, -1).trim();
  if (!/^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return NaN;
  const value = Number(raw) * (scale || 1);
  return Number.isInteger(value) && value >= 0 ? value : NaN;
}
function readShare(text) {
  const raw = text.trim();
  const value = raw.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  return raw !== "" && value >= 0 && value <= 1 ? value : NaN;
}

// --- the calculator on `versus serve`: the server re-renders every traffic-dependent part ------------
function swapLiveParts(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const fresh of doc.querySelectorAll("[data-live][id]")) {
    const old = document.getElementById(fresh.id);
    if (old) old.replaceWith(document.importNode(fresh, true));
  }
  document.title = doc.title;
  for (const selector of ['meta[name="description"]', 'meta[property="og:description"]', "#faq-jsonld"]) {
    const fresh = doc.querySelector(selector), old = document.querySelector(selector);
    if (fresh && old) old.replaceWith(document.importNode(fresh, true));
  }
  return doc;
}

function showError(form, message, field) {
  const error = form.querySelector(".calc-error");
  form.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  });
  error.textContent = message;  // text, decoded by the parser: never HTML
  error.hidden = !message;
  const input = field && form.querySelector(`[name="${field}"]`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", error.id);
  }
}

for (const form of document.querySelectorAll("form.calculator:not([data-static])")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    // The action is a path (N-way pages carry their models in a hidden field): never append to a query.
    const url = new URL(form.getAttribute("action").split("#")[0], location.href);
    url.search = new URLSearchParams(new FormData(form)).toString();
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "text/html" } });
    } catch (failure) {
      showError(form, "The server did not answer: check your connection and try again.");
      return;
    }
    const body = await response.text();
    if (!response.ok) {
      const doc = new DOMParser().parseFromString(body, "text/html");
      const message = doc.querySelector("#calc-error, [data-error]");
      const field = doc.querySelector("form.calculator [aria-invalid]");
      showError(form, (message && message.textContent.trim()) || "Those traffic figures cannot be priced.",
        field && field.name);
      return;
    }
    swapLiveParts(body);
    showError(form, "");
    history.replaceState(null, "", url.pathname + url.search);
  });
}

// --- the calculator on the static site: prices in the browser from the page's embedded route prices ----
function priceAtTraffic(price, traffic) {
  let p = { ...price };
  for (const tier of price.tiers || []) {  // cliff pricing: the highest tier crossed prices every token
    if (traffic.input > tier.above && (!p.tier || tier.above > p.tier)) {
      p = { ...p, tier: tier.above, input: tier.input ?? price.input, output: tier.output ?? price.output,
        cache_read: tier.cache_read ?? price.cache_read };
    }
  }
  if (p.input == null || p.output == null) return null;
  const num = (x) => (x == null ? null : Number(x));
  const cached = traffic.input * traffic.cacheHit, uncached = traffic.input - cached, out = traffic.output;
  const cacheRead = num(p.cache_read) ?? num(p.input);
  const cost = (pin, pcache, pout) => [uncached * pin + cached * pcache, out * pout];
  const [stdIn, stdOut] = cost(num(p.input), cacheRead, num(p.output));
  let [batchIn, batchOut] = [stdIn, stdOut];
  if (traffic.batch && (p.batch_input != null || p.batch_output != null)) {
    const bIn = num(p.batch_input) ?? num(p.input), bOut = num(p.batch_output) ?? num(p.output);
    const bCache = num(p.batch_cache_read) ?? (p.cache_read != null ? Math.min(num(p.cache_read), bIn) : bIn);
    [batchIn, batchOut] = cost(bIn, bCache, bOut);
  }
  const perRequest = ((stdIn + stdOut) * (1 - traffic.batch) + (batchIn + batchOut) * traffic.batch) / 1e6;
  return perRequest * traffic.requests;
}

function usd(value) {
  const digits = Math.abs(value) < 100 ? 2 : 0;
  return "$" + value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

for (const form of document.querySelectorAll("form.calculator[data-static]")) {
  const data = document.getElementById("route-prices");
  if (!data) continue;
  const models = JSON.parse(data.textContent);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    const traffic = {
      requests: readCount(values.requests), input: readCount(values.input_tokens),
      output: readCount(values.output_tokens), cacheHit: readShare(values.cache_hit), batch: readShare(values.batch),
    };
    const bad = Object.entries({ requests: "requests", input: "input_tokens", output: "output_tokens",
      cacheHit: "cache_hit", batch: "batch" }).find(([key]) => Number.isNaN(traffic[key]));
    if (bad) {
      showError(form, `${values[bad[1]] || "(empty)"} is not a figure this calculator reads: use e.g. 5M, 2.5k, 1,000,000, 5e6 or 40%.`, bad[1]);
      return;
    }
    showError(form, "");
    const costs = models.map((m) => (m.price ? priceAtTraffic(m.price, traffic) : null));
    const known = costs.filter((c) => c != null);
    const low = Math.min(...known);
    models.forEach((m, i) => {
      const card = document.querySelector(`.card[data-model="${CSS.escape(m.id)}"]`);
      if (!card || costs[i] == null) return;
      card.querySelector(".card-monthly").textContent = usd(costs[i]);
      const times = costs[i] === low ? "cheapest" : low > 0 ? `${(costs[i] / low).toFixed(1)}× the cheapest` : "—";
      card.querySelector(".card-times").textContent = times;
      card.classList.toggle("best", costs[i] === low);
      const fits = m.context == null || traffic.input + traffic.output <= m.context;
      let warn = card.querySelector(".warn");
      if (!fits && !warn) {
        warn = document.createElement("p");
        warn.className = "warn";
        card.append(warn);
      }
      if (warn) warn.textContent = fits ? "" : `⚠ ${m.name}: a request of ${(traffic.input + traffic.output).toLocaleString("en-US")} tokens does not fit its context window.`;
    });
    const note = document.getElementById("static-note") || document.createElement("p");
    note.id = "static-note";
    note.className = "muted";
    note.textContent = `Cards priced in your browser at ${traffic.requests.toLocaleString("en-US")} requests × ` +
      `${traffic.input.toLocaleString("en-US")} in + ${traffic.output.toLocaleString("en-US")} out on each model's ` +
      "basis route; the sections below stay at the reference traffic.";
    document.getElementById("cards").after(note);
  });
}

// --- sortable tables: the header buttons sort by their column (numbers by data-value; unknowns last) ----
for (const table of document.querySelectorAll("table.sortable")) {
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((header, column) => {
    const button = header.querySelector("button.sort");
    if (!button) return;
    button.addEventListener("click", () => {
      const body = table.tBodies[0];
      const numeric = header.dataset.sort === "number";
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      const key = (row) => {
        const cell = row.children[column];
        if (!numeric) return cell.textContent.trim().toLowerCase();
        const value = cell.dataset.value;
        return value === "" || value === undefined ? Infinity : parseFloat(value);
      };
      const rows = Array.from(body.rows).sort((a, b) => {
        const x = key(a), y = key(b);
        if (x === y) return 0;
        if (numeric && (x === Infinity || y === Infinity)) return x === Infinity ? 1 : -1;
        return (x < y ? -1 : 1) * (ascending ? 1 : -1);
      });
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      body.append(...rows);
    });
  });
}

// --- the model index: the API on `versus serve`, search-index.json on the static site ----------------
let siteIndex = null;
async function loadIndex() {
  if (!siteIndex) siteIndex = await (await fetch(document.body.dataset.searchIndex)).json();
  return siteIndex;
}
function matches(index, text) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return index.filter((m) => words.every((w) => (m.id + " " + m.name + " " + m.creator).toLowerCase().includes(w)));
}
async function findModels(text, limit) {
  if (isStatic) return matches(await loadIndex(), text).slice(0, limit);
  const response = await fetch("/api/models?" + new URLSearchParams({ q: text, limit: String(limit) }));
  return response.ok ? response.json() : [];
}
function pairUrl(ids) {
  const path = [...ids].sort().join("-vs-").replace(/[^A-Za-z0-9/._~-]/g, (ch) => encodeURIComponent(ch));
  return `/compare/${path}/`;
}

// --- "Compare with…" and "+ add model": a typeahead filling a datalist; a plain form without script ---
for (const form of document.querySelectorAll("form.compare-with")) {
  const input = form.querySelector("input[name=add]");
  const list = form.querySelector("datalist");
  const error = form.querySelector(".form-error");
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) return;
    timer = setTimeout(async () => {
      const found = await findModels(text, 8);
      list.replaceChildren(...found.map((m) => {
        const option = document.createElement("option");
        option.value = m.id;
        option.label = m.name;  // text, never HTML: names come from data sources
        return option;
      }));
    }, 150);
  });
  if (isStatic) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = input.value.trim().toLowerCase();
      const index = await loadIndex();
      const chosen = index.find((m) => m.id.toLowerCase() === text || m.name.toLowerCase() === text)
        || matches(index, text)[0];
      const current = form.dataset.with.split(",");
      if (!chosen || current.includes(chosen.id)) {
        error.textContent = chosen ? "Choose a different model." : `No model on this site matches “${input.value}”.`;
        error.hidden = false;
        return;
      }
      location.href = pairUrl([...current, chosen.id]);
    });
  }
}

// --- the home page: filter rows as you type, count ticks, and compare the ticked models ---------------
const pick = document.getElementById("pick");
if (pick) {
  const query = document.getElementById("q");
  const rows = Array.from(pick.querySelectorAll("tbody tr"));
  const count = document.getElementById("pick-count");
  const error = pick.querySelector(".pick-error");
  const filter = () => {
    const words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of rows) row.hidden = !words.every((w) => row.dataset.search.includes(w));
  };
  if (isStatic) {  // no server to search: the static home filters its own table, also from ?q=
    const asked = new URLSearchParams(location.search).get("q");
    if (asked) query.value = asked;
    document.getElementById("search-form").addEventListener("submit", (event) => { event.preventDefault(); filter(); });
  }
  query.addEventListener("input", filter);
  filter();
  const ticked = () => Array.from(pick.querySelectorAll("input[name=models]:checked")).map((box) => box.value);
  pick.addEventListener("change", () => {
    const n = ticked().length;
    count.textContent = n < 2 ? `${n} ticked: tick two or more models.` : `${n} models ticked.`;
  });
  pick.addEventListener("submit", (event) => {
    const ids = ticked();
    if (ids.length < 2 || (isStatic && ids.length !== 2)) {
      event.preventDefault();
      error.textContent = ids.length < 2 ? "Tick at least two models to compare."
        : "This static site has a page for every pair: tick exactly two models.";
      error.hidden = false;
      return;
    }
    if (isStatic) {
      event.preventDefault();
      location.href = pairUrl(ids);
    }
  });
}
