/** The time all fetching of one scan may take (a module of its own: the CLI reads it without loading the fetcher). */
export const FETCH_TIME_MS = 300_000;
