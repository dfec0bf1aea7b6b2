/** Thrown when a probe has not answered by its deadline. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * The probe's answer, or DeadlineExceeded after `ms`: a health check answers on time even when the
 * database does not (the probe goes on in the background and its answer is dropped).
 */
export function withinDeadline<T>(ms: number, probe: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
    probe().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
