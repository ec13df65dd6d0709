/*
 * Runs scorm-again's real runtime (node_modules/scorm-again/dist) in Node, as sco.js starts it in a
 * SCO's window, for the Python tests: reads {"version", "load", "set", "get", "request"} as JSON on
 * stdin, loads "load" with loadFromFlattenedJSON, initialises, sets each [element, value] of "set",
 * reads each element of "get", and prints {"errors", "got", "commit", "events"}: "commit" is the
 * flattened data the runtime would commit at Terminate, "events" the navigation events it fired.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const is12 = input.version === "1.2";
const dist = path.join(__dirname, "..", "..", "node_modules", "scorm-again", "dist");
const context = { console, setTimeout, clearTimeout, setInterval, clearInterval, navigator: {} };
context.window = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(dist, is12 ? "scorm12.js" : "scorm2004.js"), "utf8"), context);
const API = is12 ? context.Scorm12API : context.Scorm2004API;
const api = new API({ lmsCommitUrl: false, dataCommitFormat: "flattened", logLevel: 5, autocommit: false });
const events = [];
for (const name of ["SequenceNext", "SequencePrevious", "SequenceChoice", "SequenceExit", "SequenceExitAll"]) {
  api.on(name, (target) => events.push([name, typeof target === "string" ? target : ""]));
}
api.loadFromFlattenedJSON(input.load || {}, "");
const call = (name12, name2004, ...args) => api[is12 ? name12 : name2004](...args);
call("LMSInitialize", "Initialize", "");
const errors = [];
for (const [element, value] of input.set || []) {
  if (call("LMSSetValue", "SetValue", element, value) !== "true") {
    errors.push([element, value, call("LMSGetLastError", "GetLastError")]);
  }
}
const got = {};
for (const element of input.get || []) {
  got[element] = call("LMSGetValue", "GetValue", element);
}
const commit = api.renderCommitCMI(true);
call("LMSFinish", "Terminate", "");
process.stdout.write(JSON.stringify({ errors, got, commit, events }));
