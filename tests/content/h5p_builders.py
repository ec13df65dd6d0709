"""Small real .h5p packages for the service, serving and browser tests."""

import io
import json
import zipfile

PROBE_JS = """
(function () {
  // A hostile library: tries to read the learner's cookies and to call the site as the learner.
  window.LMS = window.LMS || {};
  LMS.Probe = function (params, contentId) { H5P.EventDispatcher.call(this); this.params = params; };
  LMS.Probe.prototype = Object.create(H5P.EventDispatcher.prototype);
  LMS.Probe.prototype.attach = function ($container) {
    var root = document.documentElement;
    var report = function (key, value) { root.setAttribute("data-probe-" + key, String(value)); };
    try { report("cookie", "read:" + document.cookie); } catch (error) { report("cookie", "blocked"); }
    // the lesson page left a secret in the site's storage: the player must not see it
    try { report("storage", "read:" + window.localStorage.getItem("lms-probe-secret")); }
    catch (error) { report("storage", "blocked"); }
    try { report("parent", "read:" + window.parent.document.cookie); } catch (error) { report("parent", "blocked"); }
    fetch(PROBE_ORIGIN + "/en/dashboard/", { credentials: "include" })
      .then(function (r) { return r.text(); })
      .then(function (text) { report("fetch", "read:" + text.length); })
      .catch(function () { report("fetch", "blocked"); });
    fetch(PROBE_ORIGIN + "/en/learn/h5p/xapi/", {
      method: "POST", credentials: "include", mode: "no-cors",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ lesson: 1, package: 1, statement: {} })
    }).then(function () { report("post", "sent"); }).catch(function () { report("post", "failed"); });
    $container.append("<p class='probe'>probe ready</p>");
  };
})();
"""

PROBE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    "<script>document.documentElement.setAttribute('data-svg-cookie', (function () {"
    "try { return 'read:' + document.cookie; } catch (e) { return 'blocked'; } })());</script>"
    '<rect width="10" height="10"/></svg>'
)


def library_files(machine="LMS.Sample", major=1, minor=0, patch=0, js="H5P.Sample = function () {};", extra=None, deps=None):
    folder = f"{machine}-{major}.{minor}"
    library = {
        "title": machine, "machineName": machine, "majorVersion": major, "minorVersion": minor,
        "patchVersion": patch, "runnable": 1, "embedTypes": ["div"],
        "preloadedJs": [{"path": "main.js"}],
    }
    if deps:
        library["preloadedDependencies"] = deps
    files = {f"{folder}/library.json": json.dumps(library), f"{folder}/main.js": js}
    for name, data in (extra or {}).items():
        files[f"{folder}/{name}"] = data
    return files


def package_bytes(*, title="Sample activity", main="LMS.Sample", major=1, minor=0, libraries=None, content=None, extra=None):
    files = {
        "h5p.json": json.dumps({
            "title": title, "language": "en", "mainLibrary": main, "embedTypes": ["div"], "license": "U",
            "preloadedDependencies": [{"machineName": main, "majorVersion": major, "minorVersion": minor}],
        }),
        "content/content.json": json.dumps(content or {"text": "hello"}),
    }
    files.update(library_files(main, major, minor) if libraries is None else libraries)
    files.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def probe_package_bytes(origin: str) -> bytes:
    return package_bytes(
        title="Probe",
        main="LMS.Probe",
        libraries=library_files(
            "LMS.Probe", js=f"var PROBE_ORIGIN = {json.dumps(origin)};\n" + PROBE_JS, extra={"probe.svg": PROBE_SVG}
        ),
    )
