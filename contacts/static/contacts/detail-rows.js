// "Add another email / phone / address" on the contact form: each button clones its
// formset's empty row (a <template>) and bumps the formset's TOTAL_FORMS.
// Without JavaScript the form still offers one blank row of each per save.
(function () {
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    const prefix = button.dataset.addRow;
    const template = document.getElementById(prefix + "-template");
    const rows = document.getElementById(prefix + "-rows");
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !rows || !total) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const index = Number(total.value);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });
})();
