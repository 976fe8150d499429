// kasf_train's report.html: the run's state, the curves, the epochs (best marked), the final
// tables and the experiment definition. Rewritten after every epoch; reloads itself while running.
"use strict";
(() => {
  const d = KASF.data, page = document.getElementById("page");
  page.append(KASF.el("p", { class: "note", text: d.status }));
  if (d.best_epoch !== null)
    page.append(KASF.el("p", { id: "best-epoch", text: "Best epoch: " + d.best_epoch + " (validation MPJPE " + d.best_mpjpe.toFixed(2) + " mm)" }));
  if (d.final) {
    page.append(KASF.el("h2", { text: "Best checkpoint on the validation and test clips" }), KASF.table(d.final.models, ["MPJPE", "P-MPJPE"]));
    for (const [split, table] of Object.entries(d.final.actions))
      page.append(KASF.el("h3", { text: "MPJPE per action, " + split + " (mm)" }), KASF.table(table));
  }
  page.append(KASF.el("h2", { text: "Curves" }));
  const curves = KASF.el("div", { class: "row" });
  page.append(curves);
  KASF.plots(curves, d.curves, null);
  page.append(KASF.el("h2", { text: "Epochs" }));
  const epochs = KASF.table({ rows: d.epochs });
  epochs.querySelectorAll("tbody tr").forEach((tr, i) => { if (d.epochs[i].epoch === d.best_epoch) tr.classList.add("best"); });
  page.append(epochs);
  page.append(KASF.el("h2", { text: "Experiment definition" }), KASF.el("pre", { class: "config", text: d.experiment }));
  KASF.expose("report", { plots: curves.querySelectorAll("svg").length, epochs: d.epochs.length });
})();
