/** The largest request body any API reads (1 MiB); larger ones are refused in the API's shape. */
export const BODY_LIMIT = 1024 * 1024;
