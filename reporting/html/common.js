// Shared by every kasf page: error reporting, the page's data, the state it exposes for tests, the
// H36M-17 skeleton drawn with an orthographic orbit camera, a frame player, tables and plot cursors.
"use strict";
const KASF = (() => {
  // Any error shows on the page and in its title ("kasf-error: ..."), where a headless test reads it.
  const errors = [];
  function fail(message) {
    errors.push(String(message));
    document.title = "kasf-error: " + errors[0];
    const box = document.getElementById("kasf-errors");
    box.textContent = errors.join("\n");
    box.hidden = false;
    expose("errors", errors);
  }
  window.addEventListener("error", (e) => fail(e.message + " (" + e.filename + ":" + e.lineno + ")"));
  window.addEventListener("unhandledrejection", (e) => fail("unhandled rejection: " + e.reason));

  // What the page drew, as JSON in #kasf-state (screen coordinates in canvas pixels).
  const state = { errors: [] };
  function expose(key, value) {
    state[key] = value;
    document.getElementById("kasf-state").textContent = JSON.stringify(state);
  }

  // The URL fragment's settings: #frame=12&view=front&paused.
  function fragment() {
    return new URLSearchParams(window.location.hash.slice(1));
  }

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
      if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v;  // only for SVG made by kasf itself
      else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  // H36M-17: 0 pelvis, 1-3 right leg, 4-6 left leg, 7 spine, 8 thorax, 9 neck, 10 head,
  // 11-13 left arm, 14-16 right arm.
  const BONES = [[0, 1], [1, 2], [2, 3], [0, 4], [4, 5], [5, 6], [0, 7], [7, 8], [8, 9], [9, 10],
                 [8, 11], [11, 12], [12, 13], [8, 14], [14, 15], [15, 16]];
  const RIGHT = new Set([1, 2, 3, 14, 15, 16]), LEFT = new Set([4, 5, 6, 11, 12, 13]);
  function sideColor(j) { return RIGHT.has(j) ? "#d62728" : LEFT.has(j) ? "#1f77b4" : "#555"; }

  // Orthographic camera: turned `azimuth` degrees about the vertical (y, down) axis, then tilted
  // down by `elevation`; azimuth 0, elevation 0 looks along +z as the video camera did.
  class Camera {
    constructor(azimuth = 30, elevation = 15) { this.azimuth = azimuth; this.elevation = elevation; this.zoom = 1; }
    // [x, y, depth] in units before scaling; larger depth is farther away.
    view(p) {
      const a = this.azimuth * Math.PI / 180, e = this.elevation * Math.PI / 180;
      const x1 = p[0] * Math.cos(a) + p[2] * Math.sin(a), z1 = -p[0] * Math.sin(a) + p[2] * Math.cos(a);
      return [x1, p[1] * Math.cos(e) - z1 * Math.sin(e), p[1] * Math.sin(e) + z1 * Math.cos(e)];
    }
  }

  // A canvas showing 3D skeletons at a fixed scale: `extent` (data units) fits half the canvas, or
  // half of one of `columns` side-by-side figures.
  class SkeletonCanvas {
    constructor(canvas, camera, extent, columns = 1) {
      this.canvas = canvas;
      this.g = canvas.getContext("2d");
      this.camera = camera;
      this.extent = extent > 0 ? extent : 1;
      this.columns = columns;
    }
    scale() { return Math.min(this.canvas.width / this.columns, this.canvas.height) * 0.45 / this.extent * this.camera.zoom; }
    // Screen [x, y, depth] of a data point; `shift` moves the figure sideways in data units.
    project(p, shift = 0) {
      const v = this.camera.view(p), s = this.scale();
      return [this.canvas.width / 2 + s * (v[0] + shift), this.canvas.height / 2 + s * v[1], v[2]];
    }
    clear() { this.g.clearRect(0, 0, this.canvas.width, this.canvas.height); }
    // Grid lines every `step` units in the horizontal plane y = ground, up to `reach` from the origin.
    ground(ground, step, reach) {
      const g = this.g, n = Math.ceil(reach / step);
      g.strokeStyle = "#d9d9d9";
      g.lineWidth = 1;
      for (let i = -n; i <= n; ++i) {
        for (const [a, b] of [[[i * step, ground, -n * step], [i * step, ground, n * step]],
                              [[-n * step, ground, i * step], [n * step, ground, i * step]]]) {
          const p = this.project(a), q = this.project(b);
          g.beginPath(); g.moveTo(p[0], p[1]); g.lineTo(q[0], q[1]); g.stroke();
        }
      }
    }
    // Polylines through past positions, fading out.
    trail(points, color) {
      const g = this.g;
      for (let i = 1; i < points.length; ++i) {
        const p = this.project(points[i - 1]), q = this.project(points[i]);
        g.strokeStyle = color;
        g.globalAlpha = 0.15 + 0.7 * i / points.length;
        g.lineWidth = 2;
        g.beginPath(); g.moveTo(p[0], p[1]); g.lineTo(q[0], q[1]); g.stroke();
      }
      g.globalAlpha = 1;
    }
    // One pose (17 points); joints coloured by `jointColor(j)`, bones by side (or `boneColor`).
    // Returns the joints' screen [x, y], rounded to 0.01 px.
    skeleton(pose, { shift = 0, jointColor = sideColor, boneColor = null, alpha = 1, radius = 4 } = {}) {
      const g = this.g, screen = pose.map((p) => this.project(p, shift));
      const bones = BONES.slice().sort((a, b) => (screen[b[0]][2] + screen[b[1]][2]) - (screen[a[0]][2] + screen[a[1]][2]));
      g.globalAlpha = alpha;
      g.lineCap = "round";
      for (const [a, b] of bones) {
        g.strokeStyle = boneColor || sideColor(b);
        g.lineWidth = 4;
        g.beginPath(); g.moveTo(screen[a][0], screen[a][1]); g.lineTo(screen[b][0], screen[b][1]); g.stroke();
      }
      for (let j = 0; j < screen.length; ++j) {
        g.fillStyle = jointColor(j);
        g.beginPath(); g.arc(screen[j][0], screen[j][1], radius, 0, 2 * Math.PI); g.fill();
      }
      g.globalAlpha = 1;
      return screen.map((p) => [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100]);
    }
    label(text, x, y) {
      this.g.fillStyle = "#444";
      this.g.font = "13px system-ui, 'DejaVu Sans', sans-serif";
      this.g.fillText(text, x, y);
    }
  }

  // Drag turns the camera, the wheel zooms; `redraw` is called after each change.
  function orbit(canvas, camera, redraw) {
    canvas.classList.add("orbit");
    let last = null;
    canvas.addEventListener("pointerdown", (e) => { last = [e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointerup", () => { last = null; });
    canvas.addEventListener("pointermove", (e) => {
      if (!last) return;
      camera.azimuth -= (e.clientX - last[0]) * 0.5;
      camera.elevation = Math.max(-89, Math.min(89, camera.elevation + (e.clientY - last[1]) * 0.5));
      last = [e.clientX, e.clientY];
      redraw();
    });
    canvas.addEventListener("wheel", (e) => {
      e.preventDefault();
      camera.zoom = Math.max(0.2, Math.min(8, camera.zoom * Math.exp(-e.deltaY * 0.001)));
      redraw();
    }, { passive: false });
  }

  // Play/pause, a timeline scrubber and a speed choice over `frames` frames at `fps`; calls
  // show(frame) whenever the frame changes. Honours #frame=k (shown paused) and #paused.
  class Player {
    constructor(container, frames, fps, show) {
      this.frames = frames; this.fps = fps > 0 ? fps : 25; this.show = show; this.frame = 0; this.speed = 1;
      this.button = el("button", { type: "button", text: "Pause" });
      this.slider = el("input", { type: "range", min: 0, max: Math.max(0, frames - 1), value: 0, step: 1, "aria-label": "frame" });
      this.label = el("span", { class: "note" });
      const speed = el("select", { "aria-label": "speed" },
                       [0.1, 0.25, 0.5, 1, 2].map((s) => el("option", { value: s, text: s + "×" })));
      speed.value = "1";
      container.append(el("div", { class: "controls" }, [this.button, this.slider, this.label, el("span", { text: "speed" }), speed]));
      this.button.addEventListener("click", () => this.setPlaying(!this.playing));
      this.slider.addEventListener("input", () => { this.setPlaying(false); this.seek(Number(this.slider.value)); });
      speed.addEventListener("change", () => { this.speed = Number(speed.value); });
      const params = fragment();
      this.playing = frames > 1 && !params.has("frame") && !params.has("paused");
      this.button.textContent = this.playing ? "Pause" : "Play";
      this.seek(params.has("frame") ? Number(params.get("frame")) : 0);
      this.last = null;
      const tick = (time) => {
        if (this.playing && this.last !== null) {
          this.position = (this.position + (time - this.last) / 1000 * this.fps * this.speed) % this.frames;
          if (Math.floor(this.position) !== this.frame) this.seek(this.position, true);
        }
        this.last = time;
        window.requestAnimationFrame(tick);
      };
      window.requestAnimationFrame(tick);
      window.addEventListener("hashchange", () => {
        const p = fragment();
        if (p.has("frame")) { this.setPlaying(false); this.seek(Number(p.get("frame"))); }
      });
    }
    setPlaying(playing) { this.playing = playing && this.frames > 1; this.button.textContent = this.playing ? "Pause" : "Play"; }
    // Shows frame `position` (clamped to the sequence); `playing` keeps the fractional position.
    seek(position, playing = false) {
      const frame = Math.max(0, Math.min(this.frames - 1, Math.floor(Number(position) || 0)));
      if (!playing) this.position = frame;
      this.frame = frame;
      this.slider.value = frame;
      this.label.textContent = "frame " + frame + " / " + (this.frames - 1) + "  (" + (frame / this.fps).toFixed(2) + " s)";
      this.show(frame);
    }
  }

  // Moves the cursor of every seekable plot in `container` to x; a click on a plot seeks.
  function plots(container, svgs, seek) {
    const nodes = [];
    for (const svg of svgs) {
      const holder = el("div", { html: svg });
      container.append(holder);
      nodes.push(holder.querySelector("svg"));
    }
    const xOf = (plot, value) => {
      const d = plot.dataset;
      return Number(d.pxLow) + (value - Number(d.xLow)) / (Number(d.xHigh) - Number(d.xLow)) * (Number(d.pxHigh) - Number(d.pxLow));
    };
    if (seek) {
      for (const plot of nodes) {
        plot.classList.add("seekable");
        plot.addEventListener("click", (e) => {
          const box = plot.getBoundingClientRect(), d = plot.dataset;
          const px = (e.clientX - box.left) * plot.viewBox.baseVal.width / box.width;
          seek(Math.round(Number(d.xLow) + (px - Number(d.pxLow)) / (Number(d.pxHigh) - Number(d.pxLow)) * (Number(d.xHigh) - Number(d.xLow))));
        });
      }
    }
    return (value) => {
      for (const plot of nodes) {
        const cursor = plot.querySelector(".plot-cursor");
        if (!cursor) continue;
        const x = xOf(plot, value);
        cursor.setAttribute("x1", x);
        cursor.setAttribute("x2", x);
      }
    };
  }

  // A table from kasf's JSON tables ({rows: [{column: value}]}); numbers with one decimal. Columns
  // named in `bars` get a bar proportional to the value.
  function table(json, bars = []) {
    const rows = json.rows || [];
    const columns = rows.length ? Object.keys(rows[0]) : [];
    const maxima = {};
    for (const c of bars) maxima[c] = Math.max(...rows.map((r) => Number(r[c]) || 0));
    const cell = (row, c) => {
      const v = row[c];
      const text = typeof v === "number" && !Number.isInteger(v) ? v.toFixed(1) : v === null ? "–" : String(v);
      if (!(c in maxima) || !(maxima[c] > 0)) return el("td", { text });
      return el("td", { class: "bar" }, [el("span", { class: "fill", style: "width:" + (100 * v / maxima[c]).toFixed(1) + "%" }),
                                       el("span", { class: "value", text })]);
    };
    return el("table", {}, [
      el("thead", {}, [el("tr", {}, columns.map((c) => el("th", { text: c })))]),
      el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => cell(r, c))))),
    ]);
  }

  // Low to high: green, yellow, red.
  function heat(t) {
    t = Math.max(0, Math.min(1, t));
    const r = t < 0.5 ? 2 * t * 230 + 30 * (1 - 2 * t) : 230, gr = t < 0.5 ? 170 + 40 * 2 * t : 210 * (2 - 2 * t);
    return "rgb(" + Math.round(r) + "," + Math.round(gr) + ",60)";
  }

  const data = JSON.parse(document.getElementById("kasf-data").textContent);
  return { data, fail, expose, fragment, el, BONES, sideColor, Camera, SkeletonCanvas, orbit, Player, plots, table, heat };
})();
