/** What a call failed with, as name and message; `{ name: 'no error' }` when it succeeded. */
export const failureOf = async (promise: Promise<unknown>): Promise<{ name: string; message: string }> =>
  promise.then(
    () => ({ name: 'no error', message: '' }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );
