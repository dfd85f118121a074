/**
 * Prints jest's totals as one plain closing line, `tests: N passed, N failed, N skipped`, which CI reads
 * whatever the runner (jest's own summary is laid out for people).
 */
'use strict';

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } =
      results;
    // A test file that fails to load runs no test: count it as a failure, or the line would read clean.
    const failed = numFailedTests + numRuntimeErrorTestSuites;
    process.stdout.write(
      `tests: ${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
