/** checkevent as the rest of the plugin (the handler, the demo, the benchmark) imports it. */
export { runCheckevent, type CheckeventOptions, type CheckeventResult, type ModuleRun } from './checkevent';
export type { KeptEvent } from './apply';
export { summaryLine } from './summary';
export { silentLog, type EventLog } from './log';
