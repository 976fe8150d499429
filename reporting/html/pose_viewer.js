// The pose viewer (kasf_infer --html, kasf_view): the 3D skeleton with orbit and zoom, a ground
// grid with its spacing in the poses' units, optional joint trails, the 2D input beside it when the
// file has one, and the kinematic curves with a cursor at the shown frame.
"use strict";
(() => {
  const d = KASF.data, page = document.getElementById("page");
  const frames = d.poses.length;
  const params = KASF.fragment();
  const camera = params.get("view") === "front" ? new KASF.Camera(0, 0) : new KASF.Camera();

  page.append(KASF.el("p", { class: "note", text: d.description }));
  const row = KASF.el("div", { class: "row" });
  page.append(row);
  const canvas3d = KASF.el("canvas", { width: 480, height: 480, id: "view3d", title: "drag to turn, wheel to zoom" });
  const card3d = KASF.el("div", { class: "card" }, [KASF.el("h3", { text: "3D pose (" + d.units + ")" }), canvas3d]);
  row.append(card3d);
  let canvas2d = null;
  if (d.keypoints_2d) {
    canvas2d = KASF.el("canvas", { width: 480, height: 480, id: "view2d" });
    row.append(KASF.el("div", { class: "card" }, [KASF.el("h3", { text: "2D input (" + d.keypoints_2d.width + " × " + d.keypoints_2d.height + " px video)" }), canvas2d]));
  }

  // Trails: which joints leave a fading line over the last second.
  const trailChoice = KASF.el("select", { "aria-label": "trail joints" }, [
    KASF.el("option", { value: "", text: "no trails" }),
    KASF.el("option", { value: "3,6,13,16", text: "trails: wrists and ankles" }),
    KASF.el("option", { value: d.joint_names.map((_, j) => j).join(","), text: "trails: all joints" }),
    ...d.joint_names.map((name, j) => KASF.el("option", { value: String(j), text: "trail: " + name })),
  ]);
  if (params.has("trails")) trailChoice.value = params.get("trails");  // e.g. #trails=3,6,13,16
  const groundBox = KASF.el("input", { type: "checkbox", checked: "" });
  const resetButton = KASF.el("button", { type: "button", text: "Reset view" });
  card3d.append(KASF.el("div", { class: "controls" }, [
    trailChoice, KASF.el("label", {}, [groundBox, " ground grid"]), resetButton,
    KASF.el("span", { class: "note", text: "grid squares: " + d.grid_step + " " + d.units }),
  ]));

  const view = new KASF.SkeletonCanvas(canvas3d, camera, d.extent);
  const trailLength = Math.max(2, Math.round(d.fps > 0 ? d.fps : 25));
  let player = null;

  function draw3d(frame) {
    view.clear();
    if (groundBox.checked) view.ground(d.ground_y, d.grid_step, d.extent);
    const trailJoints = trailChoice.value ? trailChoice.value.split(",").map(Number) : [];
    for (const j of trailJoints) {
      const from = Math.max(0, frame - trailLength);
      view.trail(d.poses.slice(from, frame + 1).map((pose) => pose[j]), KASF.sideColor(j));
    }
    const joints = view.skeleton(d.poses[frame]);
    view.label("azimuth " + Math.round(camera.azimuth) + "°, elevation " + Math.round(camera.elevation) + "°", 10, 20);
    return { joints, trails: trailJoints.length };
  }

  // The 2D keypoints, the view fitted to where the person goes over the whole sequence (a detector's
  // person is often small in the image); filled gaps (confidence 0) as hollow grey squares.
  function fit2d() {
    const k = d.keypoints_2d;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const frame of k.frames)
      for (const p of frame)
        if (p[0] !== null && p[1] !== null) { x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]); }
    if (!(x1 > x0) || !(y1 > y0)) { x0 = 0; y0 = 0; x1 = k.width; y1 = k.height; }
    const margin = 0.1 * Math.max(x1 - x0, y1 - y0);
    const s = Math.min(canvas2d.width / (x1 - x0 + 2 * margin), canvas2d.height / (y1 - y0 + 2 * margin));
    return { s, ox: canvas2d.width / 2 - s * (x0 + x1) / 2, oy: canvas2d.height / 2 - s * (y0 + y1) / 2 };
  }
  const view2d = canvas2d ? fit2d() : null;
  function draw2d(frame) {
    const k = d.keypoints_2d, g = canvas2d.getContext("2d"), { s, ox, oy } = view2d;
    g.clearRect(0, 0, canvas2d.width, canvas2d.height);
    g.strokeStyle = "#bbb";
    g.strokeRect(ox, oy, s * k.width, s * k.height);  // the image's border, where it is in view
    g.fillStyle = "#444";
    g.font = "13px system-ui, 'DejaVu Sans', sans-serif";
    g.fillText("zoomed to the person: " + (s * 100).toFixed(0) + "% of image pixels", 10, 20);
    const points = k.frames[frame].map((p) => [ox + s * p[0], oy + s * p[1], p[2]]);
    g.lineWidth = 3;
    for (const [a, b] of KASF.BONES) {
      g.strokeStyle = KASF.sideColor(b);
      g.beginPath(); g.moveTo(points[a][0], points[a][1]); g.lineTo(points[b][0], points[b][1]); g.stroke();
    }
    points.forEach((p, j) => {
      if (p[2] > 0) {
        g.fillStyle = KASF.sideColor(j);
        g.beginPath(); g.arc(p[0], p[1], 4, 0, 2 * Math.PI); g.fill();
      } else {
        g.strokeStyle = "#888"; g.lineWidth = 1.5; g.strokeRect(p[0] - 4, p[1] - 4, 8, 8); g.lineWidth = 3;
      }
    });
    return points.map((p) => [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100]);
  }

  const curves = KASF.el("div", { class: "row" });
  const moveCursors = KASF.plots(curves, d.curves, (frame) => { player.setPlaying(false); player.seek(frame); });

  function show(frame) {
    const drawn = draw3d(frame);
    const state = { frame, joints3d: drawn.joints, trails: drawn.trails, camera: { azimuth: camera.azimuth, elevation: camera.elevation } };
    if (canvas2d) state.joints2d = draw2d(frame);
    moveCursors(frame);
    KASF.expose("view", state);
  }

  const redraw = () => show(player ? player.frame : 0);
  KASF.orbit(canvas3d, camera, redraw);
  trailChoice.addEventListener("change", redraw);
  groundBox.addEventListener("change", redraw);
  resetButton.addEventListener("click", () => { camera.azimuth = 30; camera.elevation = 15; camera.zoom = 1; redraw(); });

  const controls = KASF.el("div");
  row.after(controls);
  if (d.curves.length) {
    controls.after(KASF.el("h2", { text: "Kinematics (click a plot to go to that frame)" }), curves);
  }
  player = new KASF.Player(controls, frames, d.fps, show);
})();
