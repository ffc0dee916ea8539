// Runs a planned call: on the calling thread, or on the libuv pool. Errors from native
// async work come back without a JavaScript stack, so the caller's stack is captured up
// front and given to them.
import type { ForwardCall } from '../../binding';
import { native } from '../native';
import type { ForwardPlan } from './forward-plan';

/** Runs the plan on the calling thread and shapes its results. */
export function runPlan<R>(plan: ForwardPlan<R>): R {
  if (plan.call) native.recurrentForward(plan.call);
  return plan.finish();
}

/**
 * Plans on the calling thread, so every argument is checked (and the inputs snapshotted)
 * before this returns, then runs on the libuv pool. Never throws: a bad argument, or what
 * the native side refuses before any work starts (a workspace past its bound, say), rejects
 * the returned Promise, as does a failure of the work itself. (A caller's
 * `forwardAsync(bad).catch(handler)` must not take the process down.)
 */
export function runPlanAsync<R>(makePlan: () => ForwardPlan<R>, caller: Function): Promise<R> {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, caller);
  let plan: ForwardPlan<R>;
  let started: Promise<void>;
  try {
    plan = makePlan();
    if (!plan.call) return Promise.resolve(plan.finish());
    started = native.recurrentForwardAsync(plan.call as ForwardCall);
  } catch (error) {
    return Promise.reject(error);
  }
  return started.then(
    () => plan.finish(),
    (error: unknown) => {
      if (error instanceof Error && site.stack) {
        error.stack = `${error.name}: ${error.message}${site.stack.slice(site.stack.indexOf('\n'))}`;
      }
      throw error;
    },
  );
}
