// "Add another …" buttons of Django formsets: a button with data-add-row="<prefix>" clones
// the formset's empty row (<template id="<template>">, default "<prefix>-template") into
// its rows (id from data-rows, default "<prefix>-rows"), bumps the formset's TOTAL_FORMS
// and focuses the new row. Without JavaScript the button stays hidden and the forms
// still offer blank rows on every save.
(function () {
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    const prefix = button.dataset.addRow;
    const template = document.getElementById(button.dataset.template || prefix + "-template");
    const rows = document.getElementById(button.dataset.rows || prefix + "-rows");
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !rows || !total) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const index = Number(total.value);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
})();
