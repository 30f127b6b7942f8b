"use strict";
// The dashboard's behaviour: draw the two charts (vega-embed), then apply the filters and the
// search box to the table, the week's lists and the timeline.
(function () {
  const data = JSON.parse(document.getElementById("donnees").textContent);
  const controls = {
    etape: document.getElementById("filtre-etape"),
    modalite: document.getElementById("filtre-modalite"),
    gravite: document.getElementById("filtre-gravite"),
    recherche: document.getElementById("recherche"),
  };
  let timeline = null;

  function values() {
    return {
      etape: controls.etape.value,
      modalite: controls.modalite.value,
      gravite: controls.gravite.value,
      recherche: controls.recherche.value.trim().toLocaleLowerCase("fr"),
    };
  }

  function keeps(element, wanted) {
    const d = element.dataset;
    return (!wanted.etape || d.step === wanted.etape)
      && (!wanted.modalite || d.group === wanted.modalite)
      && (!wanted.gravite || d.severity === wanted.gravite)
      && (!wanted.recherche || d.search.includes(wanted.recherche));
  }

  function apply() {
    const wanted = values();
    let shown = 0;
    const rows = document.querySelectorAll("tr.auditeur");
    rows.forEach(function (row) {
      const keep = keeps(row, wanted);
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll("li.echeance, li.relance").forEach(function (item) {
      item.hidden = !keeps(item, wanted);
    });
    document.getElementById("compte").textContent =
      shown + " auditeur" + (shown > 1 ? "s" : "") + " sur " + rows.length;
    if (timeline) {
      for (const name of Object.keys(wanted)) { timeline.view.signal(name, wanted[name]); }
      timeline.view.runAsync();
    }
  }

  for (const control of Object.values(controls)) {
    control.addEventListener("input", apply);
  }
  Promise.all([
    vegaEmbed("#graphique-etapes", data.steps, data.options),
    vegaEmbed("#graphique-chronologie", data.timeline, data.options),
  ]).then(function (results) {
    timeline = results[1];
    apply();
    document.body.dataset.pret = "oui";
  }).catch(function (error) {
    document.body.dataset.pret = "erreur";
    console.error(error);
  });
  apply();
})();
