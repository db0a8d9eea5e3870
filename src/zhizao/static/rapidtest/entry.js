// Tester's entry form: pick a product from the search results, then load its test items (htmx);
// a market chooser submits itself. No inline script (Content-Security-Policy: script-src 'self').
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-product]");
  if (!button) return;
  var search = document.getElementById("product-search");
  document.getElementById("id_product").value = button.dataset.product;
  search.value = button.dataset.name || button.textContent.trim();  // the name, not the category
  document.getElementById("product-options").innerHTML = "";
  htmx.ajax("GET", search.dataset.catalogueUrl + "?product=" + button.dataset.product,
            {target: "#id_item", swap: "innerHTML"});
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
