// The ampvp board page: polls /api/state (the hub's view of the run) and draws it;
// a board button sends /api/button (the hub drives its pin as --press does).
"use strict";
const colors = { green: "#22c55e", yellow: "#facc15", red: "#ef4444", blue: "#3b82f6", orange: "#f97316" };
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function rows(table, list) {
  table.replaceChildren(...list.map(cells => {
    const tr = el("tr");
    cells.forEach(c => tr.appendChild(el("td", {}, String(c))));
    return tr;
  }));
}
let built = false;
function build(s) {
  document.getElementById("board").textContent = s.board || "ampvp";
  const buttons = document.getElementById("buttons");
  for (const b of s.buttons) {
    const btn = el("button", { class: "board", id: "button-" + b.name }, b.name);
    btn.addEventListener("click", () =>
      fetch("/api/button?name=" + encodeURIComponent(b.name) + "&action=press", { method: "POST" }));
    buttons.appendChild(btn);
  }
  const consoles = document.getElementById("consoles");
  for (const core of Object.keys(s.consoles)) {
    const d = el("div", { class: "console" });
    d.appendChild(el("h3", {}, "[" + core + "] console"));
    d.appendChild(el("pre", { id: "console-" + core }));
    consoles.appendChild(d);
  }
  built = true;
}
function draw(s) {
  if (!built) build(s);
  document.getElementById("leds").replaceChildren(...s.leds.map(l => {
    const d = el("div", { class: "led" + (l.on ? " on" : ""), id: "led-" + l.name, "data-on": l.on ? "1" : "0" });
    d.style.setProperty("--c", colors[l.color] || "#22c55e");
    d.appendChild(el("span", { class: "lamp" }));
    d.appendChild(el("span", {}, l.name + (l.on ? " on" : " off")));
    return d;
  }));
  for (const b of s.buttons) {
    const btn = document.getElementById("button-" + b.name);
    if (btn) btn.classList.toggle("pressed", !!b.pressed);
  }
  document.getElementById("power").replaceChildren(...Object.entries(s.power).map(([c, p]) =>
    el("div", { class: "core " + p.split(" ")[0] }, c + ": " + p)));
  for (const [core, lines] of Object.entries(s.consoles)) {
    const pre = document.getElementById("console-" + core);
    if (!pre) continue;
    const text = lines.join("\n");
    if (pre.textContent !== text) { pre.textContent = text; pre.scrollTop = pre.scrollHeight; }
  }
  rows(document.getElementById("hsem"), Object.entries(s.hsem).map(([n, c]) => ["sem " + n, "held by " + c]));
  rows(document.getElementById("ipcc"), Object.entries(s.ipcc).map(([ch, o]) => [ch, o ? "occupied" : "free"]));
  rows(document.getElementById("exti"), s.exti.slice().reverse().map(x => ["line " + x.line, x.what + " -> " + x.to]));
  rows(document.getElementById("events"), s.events.slice().reverse().map(e => [e.t, e.where, e.what]));
  document.getElementById("status").textContent = "live, " + s.seq + " events";
}
async function poll() {
  try {
    const r = await fetch("/api/state", { cache: "no-store" });
    draw(await r.json());
  } catch (e) {
    document.getElementById("status").textContent = "the run has ended";
  }
  setTimeout(poll, 200);
}
poll();
