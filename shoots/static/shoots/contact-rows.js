// "Add another person" on the shoot form: clones the formset's empty row.
// Without JavaScript the form still offers one blank row per save.
(function () {
  const button = document.getElementById("add-contact-row");
  const template = document.getElementById("contact-row-template");
  const rows = document.getElementById("contact-rows");
  const total = document.getElementById("id_contacts-TOTAL_FORMS");
  if (!button || !template || !rows || !total) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const select = rows.lastElementChild.querySelector("select");
    if (select) select.focus();
  });
})();
