// kasf_eval --html: the result tables, per-action and per-joint errors (a skeleton coloured by each
// joint's MPJPE), and the worst clips with the prediction beside the ground truth.
"use strict";
(() => {
  const d = KASF.data, page = document.getElementById("page");
  const params = KASF.fragment();
  const camera = () => (params.get("view") === "front" ? new KASF.Camera(0, 0) : new KASF.Camera());
  page.append(KASF.el("p", { class: "note", text: d.description }));

  page.append(KASF.el("h2", { text: "Models" }), KASF.table(d.tables.models, ["MPJPE", "P-MPJPE"]));
  page.append(KASF.el("h2", { text: "MPJPE per action (mm)" }));
  if (d.tables.action) {
    const actionColumns = d.tables.action.rows.length ? Object.keys(d.tables.action.rows[0]).slice(1) : [];
    page.append(KASF.table(d.tables.action, actionColumns));
  } else {
    page.append(KASF.el("p", { class: "note", text: "The models were scored on different sets of actions (different clip lengths): no common table." }));
  }

  // Per-joint errors: a table, and a skeleton whose joints are coloured from the lowest (green) to
  // the highest (red) error of the chosen model.
  // One row per joint, one column per model.
  page.append(KASF.el("h2", { text: "MPJPE per joint (mm)" }));
  const jointRows = d.tables.joint.rows, joints = jointRows.length ? Object.keys(jointRows[0]).slice(1) : [];
  const modelColumn = jointRows.length ? Object.keys(jointRows[0])[0] : "";
  const byJoint = joints.map((joint) => Object.fromEntries([["joint", joint], ...jointRows.map((r) => [r[modelColumn], r[joint]])]));
  const jointCard = KASF.el("div", { class: "card" });
  page.append(KASF.el("div", { class: "row" }, [KASF.table({ rows: byJoint }, jointRows.map((r) => r[modelColumn])), jointCard]));
  const choice = KASF.el("select", { "aria-label": "model" }, d.models.map((m, i) => KASF.el("option", { value: i, text: m.name })));
  const canvas = KASF.el("canvas", { width: 420, height: 420, id: "joint-errors" });
  const legend = KASF.el("div", { class: "legend-scale" });
  jointCard.append(KASF.el("h3", { text: "Joints coloured by MPJPE" }), choice, canvas, legend);
  const jointView = new KASF.SkeletonCanvas(canvas, camera(), d.display_extent);
  function drawJointErrors() {
    const m = d.models[Number(choice.value)], errors = m.joint_errors;
    const low = Math.min(...errors), high = Math.max(...errors);
    const color = (j) => KASF.heat(high > low ? (errors[j] - low) / (high - low) : 0);
    jointView.clear();
    const joints = jointView.skeleton(d.display_pose, { jointColor: color, boneColor: "#bbb", radius: 7 });
    legend.replaceChildren(KASF.el("span", { text: low.toFixed(1) + " mm" }),
                           KASF.el("span", { class: "ramp", style: "background: linear-gradient(to right," + KASF.heat(0) + "," + KASF.heat(0.5) + "," + KASF.heat(1) + ")" }),
                           KASF.el("span", { text: high.toFixed(1) + " mm" }));
    KASF.expose("joint_errors", { model: m.name, joints, colors: errors.map((_, j) => color(j)) });
  }
  choice.addEventListener("change", drawJointErrors);
  KASF.orbit(canvas, jointView.camera, drawJointErrors);
  drawJointErrors();

  // Worst clips: ground truth (left) and prediction (right) at the same scale, one player each.
  page.append(KASF.el("h2", { text: "Worst clips of " + (d.models[0] ? d.models[0].name : "") + " (highest MPJPE)" }));
  const row = KASF.el("div", { class: "row" });
  page.append(row);
  const shown = [];
  d.worst_clips.forEach((clip, index) => {
    const card = KASF.el("div", { class: "card" });
    row.append(card);
    const c = KASF.el("canvas", { width: 520, height: 300, id: "worst-" + index });
    card.append(KASF.el("h3", { text: "clip " + clip.clip + " · " + clip.action + " · MPJPE " + clip.mpjpe.toFixed(1) + " mm" }), c);
    const view = new KASF.SkeletonCanvas(c, camera(), clip.extent, 2);
    const shift = clip.extent * 1.1;
    let player = null;
    const show = (frame) => {
      view.clear();
      const truth = view.skeleton(clip.truth[frame], { shift: -shift, boneColor: "#777", jointColor: () => "#777" });
      const prediction = view.skeleton(clip.prediction[frame], { shift });
      view.label("ground truth", 10, 20);
      view.label("prediction", c.width / 2 + 10, 20);
      shown[index] = { clip: clip.clip, frame, truth, prediction };
      KASF.expose("worst_clips", shown);
    };
    KASF.orbit(c, view.camera, () => show(player ? player.frame : 0));
    player = new KASF.Player(card, clip.truth.length, d.fps, show);
  });
  if (!d.worst_clips.length) row.append(KASF.el("p", { class: "note", text: "no clips" }));
})();
