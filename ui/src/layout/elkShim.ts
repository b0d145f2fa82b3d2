/**
 * ELK's bundled build, when it finds itself in a worker (no `document`), takes the worker's
 * message channel over to serve as ELK's own worker, and answers only the first layout. A
 * placeholder `document`, set before ELK loads, makes it run in-process inside this worker.
 */
const scope = globalThis as unknown as { document?: unknown };
if (typeof scope.document === "undefined") scope.document = {};
export {};
