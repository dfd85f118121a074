/**
 * The crash test's knob (BMP_CHECKEVENT_CRASH_AT, tests only): the run kills itself with SIGKILL at the named
 * point, as a power cut or the OOM killer would, so that the next run can be shown to lose and repeat nothing.
 */
import type { CheckeventCrashPoint } from '../config';

export type CrashHook = (point: CheckeventCrashPoint) => void;

export function crashHook(configured: CheckeventCrashPoint | undefined): CrashHook {
  if (configured === undefined) return () => undefined;
  return (point) => {
    if (point === configured) process.kill(process.pid, 'SIGKILL');
  };
}
