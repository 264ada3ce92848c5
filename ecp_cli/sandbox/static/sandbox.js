// ecp sandbox: a click on a test card fills the checkout form. The form works without this.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-card]");
  var number = document.getElementById("card_number");
  if (!button || !number) return;
  number.value = button.getAttribute("data-card");
  var cvv = document.getElementById("cvv");
  if (cvv && !cvv.value) cvv.value = "123";
  var holder = document.getElementById("card_holder");
  if (holder && !holder.value) holder.value = "TEST CARDHOLDER";
  number.focus();
});
