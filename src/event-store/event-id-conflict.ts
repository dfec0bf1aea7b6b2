/** A replayed event id arrived with a different type or payload, or beside ids never stored. */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
}
