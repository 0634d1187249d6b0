// "Add a line" on the sale form: clones the formset's empty row.
// Without JavaScript the form still offers blank rows on every page.
(function () {
  const button = document.getElementById("add-line-row");
  const template = document.getElementById("line-row-template");
  const rows = document.getElementById("line-rows");
  const total = document.getElementById("id_lines-TOTAL_FORMS");
  if (!button || !template || !rows || !total) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const input = rows.querySelector('[name="lines-' + index + '-description"]');
    if (input) input.focus();
  });
})();
