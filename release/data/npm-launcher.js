#!/usr/bin/env node
// Runs the prebuilt binary of the platform package npm installed for this machine
// (an optional dependency of this package; npm installs only the one that fits).
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const BIN = "__BIN__";
const PLATFORMS = __PLATFORMS__;

function libc() {
  if (process.platform !== "linux") return null;
  const report = process.report && process.report.getReport();
  return report && report.header && report.header.glibcVersionRuntime ? "glibc" : "musl";
}

const here = PLATFORMS.find(
  (p) => p.os === process.platform && p.cpu === process.arch && (p.libc === null || p.libc === libc()),
);
if (!here) {
  console.error(`${BIN}: no prebuilt binary for ${process.platform}-${process.arch}`);
  process.exit(1);
}
let binary;
try {
  binary = path.join(path.dirname(require.resolve(`${here.package}/package.json`)), here.binary);
} catch {
  console.error(
    `${BIN}: ${here.package} is not installed; install again without --omit=optional`,
  );
  process.exit(1);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`${BIN}: ${result.error.message}`);
  process.exit(1);
}
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status === null ? 1 : result.status);
