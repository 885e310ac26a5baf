// Preloaded (`node --require`) into a short run the benchmark times: at exit, the process's whole CPU
// time (start-up included: getrusage of the process) is written to the file PODTRUST_CPU_FILE names.
// CommonJS, because a preloaded ES module starts Node's ESM loader, which `node -e 0` does not
// otherwise load: the baseline would be charged for it. A file, not stderr, because what the run
// itself prints (or, on Windows, leaves unflushed) at exit must not hide or cut the figure.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.PODTRUST_CPU_FILE;
  // A worker thread's exit comes before its process's: the process's own write is the last.
  if (!file || !require('node:worker_threads').isMainThread) return;
  const { user, system } = process.cpuUsage();
  writeFileSync(file, JSON.stringify({ cpuMs: (user + system) / 1000 }));
});
