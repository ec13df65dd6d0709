/*
 * Loaded by h5p-standalone as customJs, after it wrote H5PIntegration and before the content starts.
 * The sandboxed player has an opaque origin, so every package file is a cross-origin resource: images
 * are asked for with crossorigin="anonymous" (H5P.setSource and H5P.getCrossOrigin read these two keys),
 * and the files answer with Access-Control-Allow-Origin: *, so content that draws an image on a canvas
 * and reads it back (Agamotto) finds the canvas untainted. Absolute URLs get it only when they are this
 * package's own files; a remote host need not answer CORS.
 */
(function () {
  "use strict";
  var bridge = JSON.parse(document.getElementById("h5p-bridge").textContent);
  window.H5PIntegration.crossorigin = "anonymous";
  window.H5PIntegration.crossoriginRegex = bridge.crossoriginRegex;
})();
