// The new API key's field: selected on focus, and a "Copy" button (data-copy-from="<id>")
// that puts the field's value on the clipboard. A static file, so the page needs no
// inline script under the Content-Security-Policy.
(function () {
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    button.addEventListener("click", function () {
      const field = document.getElementById(button.dataset.copyFrom);
      if (!field) return;
      navigator.clipboard.writeText(field.value).then(function () { button.textContent = "Copied"; });
    });
  });
})();
