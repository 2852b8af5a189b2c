// /contribute: say a file is over the upload limit before sending it, instead of the server's bare 413.
(function () {
  var form = document.getElementById('upload-form');
  if (!form) return;
  var max = +form.dataset.max;
  form.addEventListener('submit', function (e) {
    var f = document.getElementById('up-file').files[0], msg = document.getElementById('upload-size');
    if (f && f.size > max) {
      e.preventDefault();
      msg.textContent = 'This file is ' + (f.size / 1048576).toFixed(1) + ' MiB; the limit is ' + (max / 1048576).toFixed(0) +
        ' MiB. Compress it with gzip (a .gz file) and upload that.';
      msg.hidden = false;
    }
  });
})();
