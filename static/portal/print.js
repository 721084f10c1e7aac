// The 打印 button of the printed documents (issue 9). No inline handlers: the CSP forbids them.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
