/*
 * The player runs in a sandbox without allow-same-origin, where reading window.localStorage or
 * sessionStorage throws a SecurityError. The H5P core reads localStorage (clipboard, request queue)
 * and would stop half-way through starting an activity. Give it per-page memory storage instead:
 * nothing is meant to outlive the page here; the activity's state is saved on the server.
 */
(function () {
  "use strict";
  function MemoryStorage() { this._items = {}; }
  MemoryStorage.prototype.getItem = function (key) {
    key = String(key);
    return Object.prototype.hasOwnProperty.call(this._items, key) ? this._items[key] : null;
  };
  MemoryStorage.prototype.setItem = function (key, value) { this._items[String(key)] = String(value); };
  MemoryStorage.prototype.removeItem = function (key) { delete this._items[String(key)]; };
  MemoryStorage.prototype.clear = function () { this._items = {}; };
  MemoryStorage.prototype.key = function (index) { return Object.keys(this._items)[index] || null; };
  Object.defineProperty(MemoryStorage.prototype, "length", {
    get: function () { return Object.keys(this._items).length; }
  });

  ["localStorage", "sessionStorage"].forEach(function (name) {
    var usable = false;
    try { usable = !!window[name]; } catch (error) { usable = false; }
    if (!usable) {
      Object.defineProperty(window, name, { value: new MemoryStorage(), configurable: true });
    }
  });
})();
