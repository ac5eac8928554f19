// Starts the app: imports wasm-bindgen's module and runs the wasm. A file of
// its own, not Trunk's inline <script>, so that the page's
// Content-Security-Policy can forbid every inline script. Trunk writes this
// tag (see `pattern_script` in Trunk.toml) with the hashed file names in
// data attributes.
(function () {
  'use strict';
  const tag = document.currentScript;
  const js = new URL(tag.dataset.js, document.baseURI).href;
  const wasm = new URL(tag.dataset.wasm, document.baseURI).href;
  import(js)
    .then(async function (bindings) {
      const instance = await bindings.default({ module_or_path: wasm });
      window.wasmBindings = bindings;
      dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));
    })
    .catch(function (error) {
      const note = document.createElement('p');
      note.className = 'notice';
      note.setAttribute('role', 'alert');
      note.textContent = 'svcdoctor could not start: ' + error;
      document.body.prepend(note);
      throw error;
    });
})();
