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
 * Not an async function on purpose: what the native side refuses before any work starts
 * (a workspace past its bound, say) throws here, at once, like every other bad argument;
 * only failures of the work itself reject the Promise.
 */
export function runPlanAsync<R>(plan: ForwardPlan<R>, caller: Function): Promise<R> {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, caller);
  if (!plan.call) return new Promise((resolve) => resolve(plan.finish()));
  return native.recurrentForwardAsync(plan.call as ForwardCall).then(
    () => plan.finish(),
    (error: unknown) => {
      if (error instanceof Error && site.stack) {
        error.stack = `${error.name}: ${error.message}${site.stack.slice(site.stack.indexOf('\n'))}`;
      }
      throw error;
    },
  );
}
