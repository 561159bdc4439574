// llm-versus page behaviour. Everything works without it; with it, nothing reloads.
"use strict";

// Traffic calculator: fetch the cost section for the new traffic and swap it in place.
for (const form of document.querySelectorAll("form.calculator")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = new URLSearchParams(new FormData(form));
    params.set("fragment", form.dataset.fragment);
    const error = form.querySelector(".calc-error");
    const response = await fetch(form.action + "?" + params.toString(), { headers: { Accept: "text/html" } });
    const body = await response.text();
    if (!response.ok) {
      error.textContent = body.replace(/<[^>]*>/g, "").trim() || "Those traffic figures cannot be priced.";
      error.hidden = false;
      return;
    }
    error.hidden = true;
    document.getElementById("costs").innerHTML = body;  // server-rendered, escaped HTML
    params.delete("fragment");
    history.replaceState(null, "", form.action + "?" + params.toString());
  });
}

// Sortable tables: click a header to sort by it (numbers by their data-value; unknowns last).
for (const table of document.querySelectorAll("table.sortable")) {
  table.querySelectorAll("th[data-sort]").forEach((header, column) => {
    header.addEventListener("click", () => {
      const body = table.tBodies[0];
      const numeric = header.dataset.sort === "number";
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      const key = (row) => {
        const cell = row.children[column];
        if (!numeric) return cell.textContent.trim().toLowerCase();
        const value = cell.dataset.value;
        return value === "" ? Infinity : parseFloat(value);
      };
      const rows = Array.from(body.rows).sort((a, b) => {
        const x = key(a), y = key(b);
        if (x === y) return 0;
        if (numeric && (x === Infinity || y === Infinity)) return x === Infinity ? 1 : -1;
        return (x < y ? -1 : 1) * (ascending ? 1 : -1);
      });
      table.querySelectorAll("th[aria-sort]").forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      body.append(...rows);
    });
  });
}

// Search on the home page: live results as you type, from the API or, on the static site, an index file.
const searchForm = document.getElementById("search-form");
if (searchForm) {
  const results = document.getElementById("results");
  const input = searchForm.querySelector("input[name=q]");
  const capability = searchForm.querySelector("select[name=capability]");
  const staticIndex = document.body.dataset.searchIndex;
  let index = null;
  const render = (models) => {
    results.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = models.length + " models";
    const list = document.createElement("ul");
    list.className = "results";
    for (const m of models.slice(0, 50)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = m.url || "/models/" + m.id;
      link.textContent = m.name;  // text, never HTML: names come from data sources
      const meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = " " + m.id + " · " + m.routes + " routes";
      item.append(link, meta);
      list.append(item);
    }
    results.append(heading, list);
  };
  const search = async () => {
    const q = input.value.trim().toLowerCase();
    const cap = capability.value;
    if (!q && !cap) { results.replaceChildren(); return; }
    let models;
    if (staticIndex) {
      index = index || await (await fetch(staticIndex)).json();
      const words = q.split(/\s+/).filter(Boolean);
      models = index.filter((m) => words.every((w) => (m.id + " " + m.name + " " + m.creator).toLowerCase().includes(w))
        && (!cap || m.capabilities.includes(cap)));
    } else {
      const params = new URLSearchParams({ q, limit: "50" });
      if (cap) params.set("capability", cap);
      const response = await fetch("/api/models?" + params.toString());
      models = await response.json();
    }
    render(models);
  };
  input.addEventListener("input", search);
  capability.addEventListener("change", search);
}
