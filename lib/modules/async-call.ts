// Runs a planned call on the libuv pool. Errors from native async work come back without
// a JavaScript stack, so the caller's stack is captured up front and given to them.
import type { ForwardCall } from '../../binding';
import { native } from '../native';
import type { ForwardPlan } from './forward-plan';

export async function runPlanAsync<R>(plan: ForwardPlan<R>, caller: Function): Promise<R> {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, caller);
  if (plan.call) {
    try {
      await native.recurrentForwardAsync(plan.call as ForwardCall);
    } catch (error) {
      if (error instanceof Error && site.stack) {
        error.stack = `${error.name}: ${error.message}${site.stack.slice(site.stack.indexOf('\n'))}`;
      }
      throw error;
    }
  }
  return plan.finish();
}
