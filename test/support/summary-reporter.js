// Prints one plain closing line, `N passed, N failed, N skipped`, after Jest's own summary, so
// CI logs end with a count any tool can read.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
