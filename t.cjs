const t=Date.now();
const Module = require('module');
const original = Module.prototype._compile;
require('/tmp/v8cc/node_modules/v8-compile-cache');
const cached = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  return (filename.endsWith('.mjs') ? original : cached).call(this, content, filename);
};
require('newman');
console.log('loaded', Date.now()-t);
