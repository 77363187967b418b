import { expect } from 'vitest';
import { NimbusApiError } from '@topo/nimbus';

/** The error nimbus answered a call with; fails the test if the call succeeded or failed otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<NimbusApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NimbusApiError);
  return error as NimbusApiError;
}
