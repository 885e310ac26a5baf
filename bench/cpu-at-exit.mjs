// Preloaded (`node --import`) into a short run the benchmark times: at exit, the process's whole CPU
// time (start-up included: getrusage of the process) as the last line of stderr.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\n${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
