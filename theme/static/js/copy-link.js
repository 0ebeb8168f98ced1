// Adds a "Copy link" button beside the share URL. Without JavaScript the URL
// is still there to select and copy.
(function () {
  var input = document.getElementById("share-url");
  if (!input || !navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = input.dataset.copyLabel;
  var status = document.createElement("span");
  status.setAttribute("role", "status");
  status.className = "visually-hidden";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      button.textContent = input.dataset.copiedLabel;
      status.textContent = input.dataset.copiedLabel;
    });
  });
  var row = document.createElement("span");
  row.className = "copy-row";
  input.parentNode.insertBefore(row, input);
  row.appendChild(input);
  row.appendChild(button);
  row.appendChild(status);
})();
