/** The queue the producer fills and the spout drains (BullMQ queue names cannot contain `:`). */
export const URL_QUEUE = 'url-parser-urls';
/** The stream the per-host counts go to. */
export const HOST_COUNTS_STREAM = 'url-parser:host-counts';
